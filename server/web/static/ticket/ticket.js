// The citizen's ticket page (/t/<id>): this ticket only, live, in plain Spanish.
//
// Live updates come from WS /api/v1/tickets/<id>/live through the shared LiveEvents client
// (reconnects with back-off). While that link is down the page polls GET /api/v1/tickets/<id>
// every few seconds, so a phone on a flaky connection still learns it is being called.

import { api } from "../common/api.js";
import { $ } from "../common/dom.js";
import { countText, loadLabels } from "../common/labels.js";
import { LiveEvents } from "../common/live.js";
import { mountSurvey } from "../survey/survey.js";

const POLL_MS = 8000;
const FINAL = new Set(["done", "cancelled", "not_attended"]);
const id = document.body.dataset.ticket || "";

/** @type {import("../common/labels.js").Labels} */
let labels;
/** @type {any} the ticket as last shown */
let last = null;
/** @type {ReturnType<typeof setInterval> | undefined} */
let pollTimer;
let finished = false;

function counterPhrase(ticket) {
  const name = ticket.counter_name || (ticket.counter ? `Ventanilla ${ticket.counter}` : "");
  if (!name) return "una ventanilla";
  return /^ventanilla\b/i.test(name) ? `la ${name.charAt(0).toLowerCase()}${name.slice(1)}`
                                      : name;
}

function waitText(minutes, note) {
  // No estimate: the server says why ("Aún no hay ventanillas abiertas para este servicio").
  if (minutes === null || minutes === undefined) return note || "—";
  if (minutes < 1) return "Menos de un minuto";
  if (minutes === 1) return "Alrededor de 1 minuto";
  return `Alrededor de ${minutes} minutos`;
}

function describe(ticket) {
  const where = counterPhrase(ticket);
  switch (ticket.status) {
    case "waiting": {
      const detail = countText(labels.people_ahead, ticket.ahead);
      return { title: "En espera", detail, tone: "waiting" };
    }
    case "called":
      return {
        title: "¡Es su turno!",
        detail: `Acérquese a ${where}.` +
          (ticket.call_count > 1 ? " Lo están llamando de nuevo." : ""),
        tone: "called",
      };
    case "serving":
      return { title: "En atención", detail: `Lo están atendiendo en ${where}.`, tone: "serving" };
    case "done":
      return { title: "Atendido", detail: "Su atención terminó. Gracias por su visita.",
               tone: "final" };
    case "no_show":
      return { title: "No se presentó",
               detail: "Lo llamaron y no se acercó. Si todavía está en la oficina, acérquese " +
                       "a una ventanilla y muestre su tiquete.", tone: "final" };
    case "cancelled":
      return { title: "Turno cancelado",
               detail: "Si todavía necesita atención, tome un turno nuevo en el quiosco.",
               tone: "final" };
    case "not_attended":
      return { title: "No atendido",
               detail: "La oficina cerró antes de atender este turno. Tome un turno nuevo en " +
                       "su próxima visita.", tone: "final" };
    default:
      return { title: "Estado desconocido", detail: "", tone: "final" };
  }
}

function show(ticket) {
  if (!ticket || ticket.id !== id) return;
  const before = last;
  last = ticket;
  const view = describe(ticket);
  $("#number").textContent = ticket.number;
  $("#service").textContent = ticket.service_name || "";
  $("#preferential").hidden = !ticket.preferential;
  $("#status-title").textContent = view.title;
  $("#status-detail").textContent = view.detail;
  $("#status").className = `status is-${view.tone}`;
  document.title = view.tone === "called" ? `¡Es su turno! — ${ticket.number}`
                                          : `Turno ${ticket.number}`;
  const waiting = ticket.status === "waiting";
  $("#facts").hidden = !waiting;
  if (waiting) {
    $("#ahead").textContent = countText(labels.people_ahead_short, ticket.ahead);
    $("#wait").textContent = waitText(ticket.estimated_wait_min, ticket.wait_note);
  }
  const time = new Date().toLocaleTimeString("es-CO", { hour: "numeric", minute: "2-digit" });
  $("#updated").textContent = `Actualizado: ${time}`;

  const newlyCalled = ticket.status === "called" &&
    (!before || before.status !== "called" || before.call_count !== ticket.call_count);
  if (newlyCalled && before && navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
  if (FINAL.has(ticket.status)) finish();
}

// ------------------------------------------------------------------ fallback polling

async function poll() {
  try {
    show(await api("GET", `/api/v1/tickets/${encodeURIComponent(id)}`, undefined,
      { anonymous: true }));
  } catch (e) {
    // still offline: the next round tries again
  }
}

function startPolling() {
  if (pollTimer || finished) return;
  pollTimer = setInterval(poll, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = undefined;
}

function finish() {
  if (finished) return;
  finished = true;
  stopPolling();
  live.stop();
  $("#offline").hidden = true;
  if (last && last.status === "done") offerSurvey();
}

// The service cycle ends with the citizen's rating: once the attention is done, the page
// offers the satisfaction survey (one anonymous answer per ticket).
function offerSurvey() {
  const section = $("#survey");
  section.hidden = false;
  // The survey key travels in the QR code's fragment (#k=…), never sent to the server.
  const key = new URLSearchParams(location.hash.slice(1)).get("k");
  mountSurvey(section, { ticketId: id, key });
}

const live = new LiveEvents({
  path: `/api/v1/tickets/${encodeURIComponent(id)}/live`,
  onSnapshot: (message) => show(message.ticket),
  onEvent: (message) => {
    if (message.type === "ticket.update") show(message.ticket);
  },
  onStatus: (connected) => {
    if (finished) return;
    $("#offline").hidden = connected;
    if (connected) stopPolling();
    else startPolling();
  },
});
// The wording comes from the server: wait for it (retrying while offline), then follow.
async function start() {
  for (;;) {
    try {
      labels = await loadLabels();
      break;
    } catch (e) {
      $("#offline").hidden = false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  live.start();
  poll();
}

start();
