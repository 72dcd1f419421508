// "Estado del servidor" on the admin page: the same report as GET /api/v1/health (database,
// disk, backups, devices last seen), which `turnero doctor` prints on the command line.
import { h } from "../staff/dom.js";

const CHECKS = { database: "Base de datos", disk: "Disco", backup: "Copias de seguridad",
  printers: "Impresoras" };
const KINDS = { kiosks: "Quiosco", printers: "Impresora", boards: "Pantalla",
  bridges: "Puente de hardware" };

function detail(name, c) {
  if (c.message) return c.message;
  if (name === "database") return "Acepta escrituras.";
  if (name === "disk") return `${(c.free_bytes / 1e9).toFixed(1)} GB libres `
    + `(${Math.round(c.free_share * 100)} %).`;
  if (name === "backup") return `Última copia: ${c.last_at ? c.last_at.slice(0, 16).replace("T", " ")
    : "ninguna"}; ${c.scheduled ? `diaria a las ${c.daily_at}` : "no programada (ver [backup])"}.`;
  return c.failing ? `Fallan: ${c.failing.join(", ")}.` : "Bien.";
}

function when(iso) {
  return iso ? iso.slice(0, 16).replace("T", " ") : "no visto desde el arranque";
}

export async function renderHealth(box) {
  box.append(h("h2", { text: "Estado del servidor" }), h("p", { class: "section-intro",
    text: "Lo mismo que responde /api/v1/health y que muestra «turnero doctor»." }));
  const card = h("div", { class: "card", id: "health" }, h("p", { class: "muted", text: "Cargando…" }));
  box.append(card);
  let report;
  try {
    report = await (await fetch("/api/v1/health", { cache: "no-store" })).json();
  } catch (e) {
    card.replaceChildren(h("p", { role: "alert", text: "No se pudo consultar el estado." }));
    return;
  }
  const chip = (ok) => h("span", { class: `chip ${ok ? "chip-ok" : "chip-bad"}`,
    text: ok ? "Bien" : "Falla" });
  const rows = Object.entries(report.checks).map(([name, c]) => h("tr", { dataset: { check: name } },
    h("th", { scope: "row", text: CHECKS[name] || name }), h("td", {}, chip(c.ok)),
    h("td", { text: detail(name, c) })));
  for (const [kind, devices] of Object.entries(report.devices)) {
    for (const d of devices) {
      rows.push(h("tr", { dataset: { device: d.name } },
        h("th", { scope: "row", text: `${KINDS[kind] || kind} «${d.name}»` }),
        h("td", {}, chip(d.ok !== false)),
        h("td", { text: kind === "boards" ? `${d.connected ? "Conectada" : "Sin conexión"}; `
          + `visto: ${when(d.last_seen_at)}` : `Visto: ${when(d.last_seen_at || d.last_report_at)}` })));
    }
  }
  card.replaceChildren(h("p", { role: "status", text: report.status === "ok"
    ? "Todo funciona." : `Con fallas: ${report.failing.map((f) => CHECKS[f] || f).join(", ")}.` }),
  h("table", { class: "data" }, h("tbody", {}, rows)));
}
