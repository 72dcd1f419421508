// The survey page: /survey?counter=N on the tablet at a counter (device token of role survey,
// given once as ?token=…; the server trades it for a session in an HttpOnly cookie, so this
// page never holds it), or /survey?ticket=<id>#k=<key> for one ticket (the same view as on
// the ticket's status page; the key comes from the printed QR code).
//
// At a counter it asks the server every few seconds which ticket just finished there
// (GET /api/v1/counters/N/survey-ticket): the tablet cannot listen to the event stream, which
// is for staff and boards. It shows the survey, thanks, and goes back to waiting.
import { api, ApiError } from "../common/api.js";
import { $ } from "../common/dom.js";
import { mountSurvey } from "./survey.js";

const POLL_MS = 3000;
const THANKS_MS = 6000;
const IDLE_AFTER_MS = 120000; // a survey nobody touches goes away: that person has left
const params = new URLSearchParams(location.search);
const surveyBox = $("#survey");
const idle = $("#idle");
const problem = $("#problem");

function showProblem(text) {
  problem.textContent = text;
  problem.hidden = !text;
}

function showIdle() {
  surveyBox.hidden = true;
  surveyBox.replaceChildren();
  idle.hidden = false;
}

function surveyKey() {
  return new URLSearchParams(location.hash.slice(1)).get("k");
}

function singleTicket(ticketId) {
  $("#idle-text").textContent = "Su atención aún no ha terminado.";
  $("#idle-sub").textContent = "La encuesta aparecerá aquí cuando termine.";
  const survey = mountSurvey(surveyBox, { ticketId, key: surveyKey() });
  const timer = setInterval(() => {
    const state = surveyBox.dataset.state;
    idle.hidden = Boolean(state && state !== "not_ready");
    if (state === "not_ready") survey.refresh();
    else if (state) clearInterval(timer);
  }, 1000);
}

function counterTablet(counter) {
  $("#heading").textContent = `Ventanilla ${counter}: califique su atención`;
  const asked = new Set();
  let current = null;
  let idleTimer = null;

  function finish() {
    clearTimeout(idleTimer);
    setTimeout(() => {
      current = null;
      showIdle();
    }, THANKS_MS);
  }

  async function poll() {
    if (current) return;
    let found;
    try {
      // the device session cookie (HttpOnly) authenticates; the page holds no token
      found = await api("GET", `/api/v1/counters/${encodeURIComponent(counter)}/survey-ticket`);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      if (status === 0) showProblem("Sin conexión con el servidor. Reintentando…");
      else if (status === 403 && e instanceof ApiError && e.body.counter) {
        // bound to another counter: the server says which one
        showProblem(`${e.message} Abra su enlace con esa ventanilla.`);
        clearInterval(pollTimer); // a wrong address does not fix itself
      } else if (status === 401 || status === 403) {
        showProblem("Este dispositivo no tiene un token válido. Pida al administrador un token de tableta de encuesta.");
      } else if (status === 404) {
        showProblem(`La ventanilla ${counter} no existe.`);
        clearInterval(pollTimer); // a wrong address does not fix itself
      } else showProblem("");
      return;
    }
    showProblem("");
    if (!found) return; // 204: no ticket finished there just now
    if (asked.has(found.ticket)) return;
    asked.add(found.ticket);
    current = found.ticket;
    idle.hidden = true;
    mountSurvey(surveyBox, { ticketId: found.ticket, key: found.key, onDone: finish });
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      current = null;
      showIdle();
    }, IDLE_AFTER_MS);
  }

  let pollTimer = setInterval(poll, POLL_MS);
  poll();
}

/** Whether the counter exists, from the public counter list: a wrong number is said at once,
 * before any token is needed. */
async function counterExists(counter) {
  try {
    const counters = await api("GET", "/api/v1/counters/public", undefined, { anonymous: true });
    return counters.some((c) => String(c.number) === counter);
  } catch (e) {
    return true; // offline: the polling says so and retries
  }
}

async function showOffice() {
  try {
    $("#office").textContent = (await api("GET", "/api/v1/office")).name;
  } catch (e) {
    // the office name is a nicety
  }
}

const ticket = params.get("ticket");
const counter = params.get("counter");
if (ticket) {
  singleTicket(ticket);
} else if (!counter || !/^\d+$/.test(counter)) {
  showProblem("Abra esta página con el número de la ventanilla: /survey?counter=1&token=…");
} else {
  counterExists(counter).then((exists) => {
    if (!exists) showProblem(`La ventanilla ${counter} no existe.`);
    else {
      showOffice();
      counterTablet(counter);
    }
  });
}
