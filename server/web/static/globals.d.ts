// Globals of the classic (non-module) scripts the pages load from this server, for the type
// check only (tsconfig.json); never served as code.

/** Chart.js, vendored at /static/vendor/chart.umd.min.js. */
declare const Chart: any;
interface Window {
  Chart?: any;
  ui?: unknown;
}
/** Swagger UI, served at /static/swagger/ (the /docs page). */
declare function SwaggerUIBundle(options: { url: string; dom_id: string }): unknown;
