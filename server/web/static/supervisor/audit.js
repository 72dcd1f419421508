// "Buscar un turno": a ticket's full history by the number on its paper and its day, told in
// plain Spanish by the server (who acted, where, why each call chose it), with the acts a
// supervisor may take on it while it is still in the line.
import { api } from "../common/api.js";
import { $, h, show } from "../common/dom.js";
import { cancelTicket, moveTicket } from "./actions.js";

const STATUS = { waiting: "en espera", called: "llamado", serving: "en atención",
  done: "atendido", no_show: "no se presentó", cancelled: "cancelado",
  not_attended: "no atendido al cierre" };

/** @type {{ code: string, name: string, active: boolean }[]} */
let services = [];
let wired = false;

async function search(event) {
  if (event) event.preventDefault();
  const number = /** @type {HTMLInputElement} */ ($("#audit-number")).value.trim();
  const day = /** @type {HTMLInputElement} */ ($("#audit-day")).value;
  $("#audit-error").textContent = "";
  if (!number) {
    $("#audit-error").textContent = "Escriba el número del turno, p. ej. A-006.";
    return;
  }
  try {
    const query = new URLSearchParams({ number, day: day || "today" });
    render(await api("GET", `/api/v1/audit/tickets?${query}`));
  } catch (e) {
    show($("#audit-result"), false);
    $("#audit-error").textContent = /** @type {Error} */ (e).message;
  }
}

function render({ ticket: t, history }) {
  const pref = t.group_name ? ` · preferencial (${t.group_name})` : "";
  $("#audit-ticket").textContent = `${t.number} · ${t.service_name}${pref} · ${STATUS[t.status] || t.status}`;
  $("#audit-history").replaceChildren(...history.map((item) =>
    h("li", {}, h("time", { datetime: item.at, text: item.at.slice(11, 16) }), item.text)));
  const actions = [];
  if (["waiting", "called"].includes(t.status)) {
    actions.push(h("button", { type: "button", class: "btn btn-danger", text: "Cancelar turno",
      onClick: () => cancelTicket(t).then((ok) => { if (ok) search(); }) }));
  }
  if (["waiting", "called", "serving"].includes(t.status)) {
    const others = services.filter((s) => s.active && s.code !== t.service);
    const select = h("select", { id: "audit-move", "aria-label": "Servicio de destino" },
      ...others.map((s) => h("option", { value: s.code, text: `${s.code} · ${s.name}` })));
    actions.push(select, h("button", { type: "button", class: "btn", text: "Mover a ese servicio",
      onClick: () => {
        const target = others.find((s) => s.code === select.value);
        if (target) moveTicket(t, target).then((ok) => { if (ok) search(); });
      } }));
  }
  $("#audit-actions").replaceChildren(...actions);
  show($("#audit-result"), true);
}

/** @param {string} today  the office's day (YYYY-MM-DD) */
export async function startAudit(today) {
  const day = /** @type {HTMLInputElement} */ ($("#audit-day"));
  if (!day.value) day.value = today;
  if (wired) return;
  wired = true;
  $("#audit-form").addEventListener("submit", search);
  try {
    services = await api("GET", "/api/v1/services");
  } catch (e) {
    services = [];
  }
}
