// Administration — "Estado del servidor": the same report as GET /api/v1/health (database,
// disk, backups, devices last seen, the sending to the central server), which `turnero
// doctor` prints on the command line.
import { centralDetail } from "../common/central.js";
import { h } from "../common/dom.js";
import { loadingCard, sectionHead } from "./form.js";

/** @type {Record<string, string>} */
const CHECKS = { database: "Base de datos", disk: "Disco", backup: "Copias de seguridad",
  printers: "Impresoras", bridges: "Puentes de hardware" };
/** @type {Record<string, string>} */
const KINDS = { kiosks: "Quiosco", printers: "Impresora", boards: "Pantalla",
  bridges: "Puente de hardware" };

/** @param {string | null | undefined} iso */
function when(iso) {
  return iso ? iso.slice(0, 16).replace("T", " ") : "no visto desde el arranque";
}

/**
 * One line about a check, in plain Spanish.
 * @param {string} name
 * @param {Record<string, any>} c
 */
function detail(name, c) {
  if (c.message) return c.message;
  if (name === "database") return "Acepta escrituras.";
  if (name === "disk") {
    return `${(c.free_bytes / 1e9).toFixed(1)} GB libres (${Math.round(c.free_share * 100)} %).`;
  }
  if (name === "backup") {
    const plan = c.scheduled ? `diaria a las ${c.daily_at}` : "no programada (ver [backup])";
    return `Última copia: ${c.last_at ? when(c.last_at) : "ninguna"}; ${plan}.`;
  }
  return c.failing ? `Fallan: ${c.failing.join(", ")}.` : "Bien.";
}

/** @param {boolean} ok */
function chip(ok) {
  return h("span", { class: `chip ${ok ? "chip-ok" : "chip-bad"}`, text: ok ? "Bien" : "Falla" });
}

/**
 * The sending to the central server, worded as /supervisor shows it: a warning when the last
 * attempt failed (records wait, none is lost), never a failure of the office.
 * @param {import("../common/central.js").CentralStatus} c
 */
function centralRow(c) {
  const state = !c.configured ? h("span", { class: "chip chip-muted", text: "No configurado" })
    : c.last_error ? h("span", { class: "chip chip-called", text: "Aviso" }) : chip(true);
  const text = centralDetail(c);
  return h("tr", { dataset: { check: "central" } },
    h("th", { scope: "row", text: "Envío a la central" }), h("td", {}, state),
    h("td", { text: text.charAt(0).toUpperCase() + text.slice(1) }));
}

/** @param {HTMLElement} box */
export async function renderHealth(box) {
  sectionHead(box, "Estado del servidor",
    "Lo mismo que responde /api/v1/health y que muestra «turnero doctor».");
  const card = loadingCard();
  card.id = "health";
  box.append(card);
  let report;
  try {
    // 503 still carries the report: read the body whatever the status.
    report = await (await fetch("/api/v1/health", { cache: "no-store" })).json();
  } catch (e) {
    card.replaceChildren(h("p", { role: "alert", text: "No se pudo consultar el estado." }));
    return;
  }
  const rows = Object.entries(report.checks).map(([name, c]) => h("tr", { dataset: { check: name } },
    h("th", { scope: "row", text: CHECKS[name] || name }), h("td", {}, chip(c.ok)),
    h("td", { text: detail(name, c) })));
  for (const [kind, devices] of Object.entries(report.devices)) {
    for (const d of /** @type {Record<string, any>[]} */ (devices)) {
      const seen = `Visto: ${when(d.last_seen_at || d.last_report_at)}`;
      rows.push(h("tr", { dataset: { device: d.name } },
        h("th", { scope: "row", text: `${KINDS[kind] || kind} «${d.name}»` }),
        h("td", {}, chip(d.ok !== false)),
        h("td", { text: kind === "boards" ? `${d.connected ? "Conectada" : "Sin conexión"}; ${seen}`
          : d.message ? `${d.message} ${seen}` : seen })));
    }
  }
  if (report.central) rows.push(centralRow(report.central));
  const failing = report.failing.map((/** @type {string} */ f) => CHECKS[f] || f).join(", ");
  card.replaceChildren(h("p", { role: "status",
    text: report.status === "ok" ? "Todo funciona." : `Con fallas: ${failing}.` }),
  h("table", { class: "data" }, h("tbody", {}, rows)));
}
