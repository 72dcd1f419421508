// "Ahora": people waiting per service and class, longest wait against the target, counters
// with their clerk, today's totals and printer/kiosk alerts. The websocket (LiveEvents) says
// *that* something changed; the page then re-reads the aggregates (debounced), so a burst of
// calls costs one request. A slow timer keeps "longest wait" ticking when nothing happens.
import { api } from "../common/api.js";
import { $, h } from "../common/dom.js";
import { debounce, fmt } from "../common/format.js";
import { loadLabels } from "../common/labels.js";
import { LiveEvents } from "../common/live.js";
import { closeDay, freeCounter } from "./actions.js";
import { startAudit } from "./audit.js";
import { kpi } from "./kpi.js";

const STATE_NAMES = { open: "Abierta", paused: "En pausa", closed: "Cerrada" };
const TICKET_STATE = { called: "llamado", serving: "en atención" };
const REFRESH_MS = 30000;

let started = false;
/** @type {Record<string, string>} pause reason → its name, from the labels */
let pauseNames = {};

function renderKpis(queue, today) {
  const box = $("#live-kpis");
  const over = queue.services.filter((s) => s.over_target).length;
  box.replaceChildren(
    kpi("Personas en espera", fmt.int(queue.waiting_total),
      over ? `${over} ${over === 1 ? "servicio" : "servicios"} sobre la meta` : "Todas las filas dentro de la meta",
      over ? "warn" : null),
    kpi("Turnos emitidos hoy", fmt.int(today.issued)),
    kpi("Atendidos hoy", fmt.int(today.served)),
    kpi("No se presentaron hoy", fmt.int(today.no_show)),
    kpi("Satisfacción hoy", fmt.rating(today.satisfaction_average),
      `${fmt.int(today.satisfaction_answers)} respuestas`),
  );
}

function renderQueues(queue) {
  const body = $("#queues tbody");
  body.replaceChildren(...queue.services.map((s) => {
    const longest = s.waiting ? fmt.min(s.longest_wait_min) : "—";
    return h("tr", { class: s.over_target ? "over" : null },
      h("th", { scope: "row" }, h("span", { class: "code", "aria-hidden": "true" }, s.code), s.name),
      h("td", { class: "num" }, fmt.int(s.preferential)),
      h("td", { class: "num" }, fmt.int(s.general)),
      h("td", { class: "num strong" }, fmt.int(s.waiting)),
      h("td", { class: "num" }, longest,
        s.over_target ? h("span", { class: "badge warn" }, "Sobre la meta") : null),
      h("td", { class: "num muted" }, fmt.min(s.target_wait_min)));
  }));
}

function renderCounters(queue) {
  const list = $("#counters");
  list.replaceChildren(...queue.counters.map((c) => {
    let state = c.state;
    let label = STATE_NAMES[c.state] || c.state;
    if (c.state === "paused" && c.pause_reason) {
      label += ` (${(pauseNames[c.pause_reason] || c.pause_reason).toLowerCase()})`;
    }
    if (c.state === "open" && c.ticket) {
      state = "serving";
      label = "Atendiendo";
    }
    return h("li", { class: `counter ${state}` },
      h("div", { class: "counter-head" },
        h("strong", {}, c.name),
        h("span", { class: `badge ${state}` }, label)),
      h("p", { class: "clerk" }, c.clerk_name || "Sin funcionario"),
      h("p", { class: "muted" }, c.ticket
        ? `Turno ${c.ticket.number} · ${TICKET_STATE[c.ticket.status] || c.ticket.status}`
        : `${fmt.int(c.waiting)} en espera para esta ventanilla`),
      c.state !== "closed" ? h("button", { type: "button", class: "btn btn-small",
        "aria-label": `Liberar ${c.name}`, text: "Liberar",
        onClick: () => freeCounter(c).then(refresh) }) : null);
  }));
}

// Open or closed, as the kiosks see it, and when it opens.
function renderOffice(queue) {
  const box = $("#office-state");
  const open = queue.opening.open;
  box.textContent = open ? "Oficina abierta: los quioscos dan turnos."
    : queue.opening.message || "La oficina está cerrada.";
  box.classList.toggle("closed", !open);
}

// A line nobody can call, a wait past its target: what a supervisor acts on first.
function renderQueueAlerts(queue) {
  const list = $("#queue-alerts");
  list.replaceChildren(...(queue.alerts.length ? queue.alerts.map((a) =>
    h("li", { class: "alert", dataset: { kind: a.kind, service: a.service } }, a.message))
    : [h("li", { class: "empty" }, "Todas las filas tienen ventanilla abierta y van dentro de la meta.")]));
}

function renderAlerts(today) {
  const list = $("#alerts");
  if (!today.alerts.length) {
    list.replaceChildren(h("li", { class: "empty" }, "Sin alertas hoy."));
    return;
  }
  list.replaceChildren(...today.alerts.map((a) => {
    const bridge = a.kind.startsWith("hardware."); // the message says it all
    return h("li", { class: "alert" },
      h("span", { class: "alert-time" }, a.at.slice(11, 16)),
      h("span", {}, a.kind === "printer.failed"
        ? `No se imprimió el turno ${a.ticket || "?"} en ${a.device}`
        : bridge ? `Puente ${a.device}: ${a.message}` : `${a.device}: ${a.kind}`),
      a.message && !bridge ? h("span", { class: "muted" }, ` — ${a.message}`) : null);
  }));
}

/**
 * @param {number} n
 * @param {string} one
 * @param {string} many
 */
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// Hardware bridges (serial LED displays and call buttons): last seen and each port's state;
// a silent bridge or a port that does not answer is shown as an alert.
function renderBridges(bridges) {
  const list = $("#bridges");
  list.hidden = !bridges.length;
  list.replaceChildren(...bridges.map((b) => {
    const ports = [...b.displays, ...b.buttons];
    const down = ports.filter((p) => !p.connected).map((p) => p.name);
    const seen = b.last_seen ? `visto ${b.last_seen.slice(11, 16)}` : "nunca reportó";
    const text = b.silent ? `sin reportar (${seen})`
      : down.length ? `no responde: ${down.join(", ")} (${seen})`
      : `${count(b.displays.length, "pantalla", "pantallas")} y ${count(b.buttons.length, "botonera", "botoneras")} conectadas (${seen})`;
    return h("li", { class: b.alert ? "alert" : null, "data-bridge": b.name },
      h("span", {}, `Puente ${b.name}: ${text}`));
  }));
}

function setStatus(connected, text) {
  const status = $("#live-status");
  status.classList.toggle("offline", !connected);
  $("#live-status-text").textContent = text;
}

async function refresh() {
  try {
    const [queue, today, bridges, labels] = await Promise.all([
      api("GET", "/api/v1/queue"), api("GET", "/api/v1/stats/today"),
      api("GET", "/api/v1/hardware/bridges"), loadLabels()]);
    pauseNames = labels.pause_reasons;
    renderKpis(queue, today);
    renderOffice(queue);
    renderQueueAlerts(queue);
    startAudit(queue.day);
    renderQueues(queue);
    renderCounters(queue);
    renderAlerts(today);
    renderBridges(bridges);
    const time = (queue.at || "").slice(11, 16); // office time, whatever the PC's zone
    if (live && live.connected) setStatus(true, `En vivo · actualizado ${time}`);
  } catch (e) {
    setStatus(false, `No se pudo actualizar: ${e.message}`);
  }
}

/** @type {LiveEvents | null} */
let live = null;

export function startLive() {
  if (started) return;
  started = true;
  const soon = debounce(refresh, 400);
  live = new LiveEvents({
    onSnapshot: () => refresh(),
    onEvent: () => soon(),
    onStatus: (connected) => setStatus(connected, connected ? "En vivo" : "Sin conexión: reintentando…"),
    // The session was revoked (user disabled, password changed, signed out elsewhere): reload,
    // which shows the sign-in form, instead of "reintentando" forever.
    onRefused: () => location.reload(),
  });
  live.start();
  $("#btn-close-day").addEventListener("click", () => closeDay().then(refresh));
  refresh();
  setInterval(refresh, REFRESH_MS);
}
