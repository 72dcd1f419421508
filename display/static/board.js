// The display board: live calls from the events websocket, big and spoken.
//
// Settings come from the address: ?board=<code> (an area defined in the office configuration),
// &voice=es|es-419, &speed=80..260 (words per minute), &volume=0..1, &silent=1.
//
// What the board does is also told as DOM events on `document`, for whoever watches the
// screen (a monitoring script, a test): "board:connection" {connected}, "board:shown"
// {number, via: "event" | "snapshot"}, "board:announced" {number, spoken} and
// "board:announcer-idle" {idle}.

import { api, ApiError } from "../common/api.js";
import { $, h } from "../common/dom.js";
import { LiveEvents } from "../common/live.js";
import { Announcer } from "./announcer.js";
import { CallBoard, counterNumber, isCall } from "./calls.js";

const params = new URLSearchParams(location.search);
const settings = {
  board: params.get("board"),
  voice: ["es", "es-419"].includes(params.get("voice") || "") ? params.get("voice") || "" : "es-419",
  speed: clampNumber(params.get("speed"), 80, 260, 150),
  volume: clampNumber(params.get("volume"), 0, 1, 1),
  silent: ["1", "true", "si", "sí"].includes((params.get("silent") || "").toLowerCase()),
};

/**
 * Tell watchers what the board just did.
 * @param {string} name
 * @param {Record<string, unknown>} detail
 */
function tell(name, detail) {
  document.dispatchEvent(new CustomEvent(`board:${name}`, { detail }));
}

/** @type {any} */
let office = { name: "", timezone: "America/Bogota", board_message: "", boards: [] };
let counterNames = new Map();
let calls = null; // CallBoard once the board's area is known
let clockOffsetMs = 0; // server clock minus this screen's clock
let chain = Promise.resolve();

const announcer = new Announcer({
  voice: settings.voice,
  speed: settings.speed,
  volume: settings.volume,
  silent: settings.silent,
  onAnnounced(call, spoken) {
    tell("announced", { number: call.ticket.number, spoken });
  },
  onBlocked() {
    $("#unlock").hidden = false;
  },
  onIdle(idle) {
    tell("announcer-idle", { idle });
  },
});

$("#unlock").addEventListener("click", () => {
  $("#unlock").hidden = true;
  announcer.unlock();
});

function clampNumber(text, min, max, fallback) {
  const value = Number.parseFloat(text);
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

// Events are handled strictly in order, even when one step has to wait for the network.
function serial(step) {
  chain = chain.then(step).catch((error) => console.error("pantalla:", error));
}

// ------------------------------------------------------------------ office and area

async function loadOffice() {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      office = await api("GET", "/api/v1/office");
      return true;
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      if (status === 401 || status === 403) {
        showProblem("Pantalla sin autorizar",
                    "El token de esta pantalla fue revocado. Pida al administrador un enlace " +
                    "nuevo de pantalla.");
        return false;
      }
      // network hiccup or server error: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

function applyOffice() {
  document.title = office.name ? `Turnos — ${office.name}` : "Pantalla de turnos";
  $("#office-name").textContent = office.name || "Pantalla de turnos";
  const message = $("#message");
  message.textContent = office.board_message || "";
  message.hidden = !office.board_message;

  const boards = office.boards || [];
  const area = settings.board ? boards.find((b) => b.code === settings.board) : null;
  const boardName = $("#board-name");
  if (settings.board && !area) {
    const known = boards.map((b) => `«${b.code}»`).join(", ");
    showProblem(`La pantalla «${settings.board}» no existe`,
                "Revise la dirección de esta pantalla. " +
                (known ? `Pantallas configuradas: ${known}.` : "No hay pantallas configuradas."));
    calls = null;
    boardName.hidden = true;
    return;
  }
  hideProblem();
  boardName.textContent = area ? area.name : "";
  boardName.hidden = !area;
  const filter = area ? { services: area.services || [], counters: area.counters || [] } : {};
  if (calls) calls.setFilter(filter);
  else calls = new CallBoard(filter);
}

function showProblem(title, text) {
  $("#problem-title").textContent = title;
  $("#problem-text").textContent = text;
  $("#problem").hidden = false;
}

function hideProblem() {
  $("#problem").hidden = true;
}

// ------------------------------------------------------------------ live state

async function onSnapshot(snapshot) {
  syncClock(snapshot.queue && snapshot.queue.at);
  for (const c of (snapshot.queue && snapshot.queue.counters) || []) {
    counterNames.set(c.number, c.name);
  }
  if (!(await loadOffice())) {
    if (!office.name) office = { ...office, ...(snapshot.office || {}) };
  }
  applyOffice();
  if (!calls) return;
  const announce = calls.applySnapshot(snapshot);
  render(announce.length ? announce[announce.length - 1] : null, "snapshot");
  announce.forEach((c) => announcer.enqueue(c, counterNumber(c)));
}

async function onEvent(event) {
  if (event.type === "config.changed") {
    if (await loadOffice()) applyOffice();
    render(null);
    return;
  }
  if (event.type === "counter.changed" && event.counter) {
    counterNames.set(event.counter.number, event.counter.name);
  }
  if (!calls || !isCall(event)) return;
  syncClock(event.at);
  const call = calls.applyEvent(event);
  if (!call) return;
  render(call, "event");
  announcer.enqueue(call, counterNumber(call));
}

function setConnected(connected) {
  $("#offline").hidden = connected;
  if (connected) $("#offline-text").textContent = "sin conexión";
  tell("connection", { connected });
}

// The server closed the link because this screen's token was revoked (or is not a display
// token): a technician must issue a new one; say it plainly instead of "sin conexión".
function setRefused() {
  $("#offline-text").textContent = "pantalla sin autorización: pida un token nuevo";
  $("#offline").hidden = false;
}

// ------------------------------------------------------------------ drawing

function counterLabel(call) {
  const number = counterNumber(call);
  const fromEvent = call.counter && typeof call.counter === "object" ? call.counter.name : null;
  const name = fromEvent || counterNames.get(number) ||
    (call.ticket.counter === number ? call.ticket.counter_name : null) ||
    `Ventanilla ${number}`;
  const match = /^(.*?)\s*(\d+)$/.exec(name);
  return match && match[1] ? { caption: match[1], value: match[2], full: name }
                           : { caption: "Diríjase a", value: name, full: name };
}

function badge() {
  return h("span", { class: "badge" }, h("span", { class: "badge-icon", text: "★" }),
    h("span", { text: "Preferencial" }));
}

function render(highlight, via = "") {
  const list = calls ? calls.calls : [];
  const now = $("#now");
  const current = list[0];
  now.replaceChildren();
  now.classList.remove("flash");
  if (!current) {
    now.classList.add("is-empty");
    now.append(h("p", { class: "now-empty", text: "Espere su llamado en esta pantalla" }));
  } else {
    now.classList.remove("is-empty");
    const counter = counterLabel(current);
    const ticketBlock = h("div", { class: "now-block" });
    ticketBlock.append(h("span", { class: "caption", text: "Turno" }),
                       h("span", { class: "now-number", text: current.ticket.number }));
    const counterBlock = h("div", { class: "now-block" });
    const value = h("span", { class: "now-counter", text: counter.value });
    if (counter.value.length > 6) value.classList.add("is-long");
    counterBlock.append(h("span", { class: "caption", text: counter.caption }), value);
    now.append(ticketBlock, h("hr", { class: "now-divider" }), counterBlock);
    if (current.ticket.preferential) now.append(badge());
    now.dataset.number = current.ticket.number;
    now.dataset.counter = String(counterNumber(current));
    if (highlight && highlight === current) {
      void now.offsetWidth; // restart the animation for a recall of the same ticket
      now.classList.add("flash");
    }
  }

  const items = list.slice(1).map((call) => {
    const counter = counterLabel(call);
    const li = h("li", { class: "recent-item" });
    li.dataset.number = call.ticket.number;
    const tag = h("span", { class: "recent-tag" });
    if (call.ticket.preferential) {
      li.classList.add("is-preferential");
      tag.append(badge());
    }
    li.append(h("span", { class: "recent-number", text: call.ticket.number }), tag,
              h("span", { class: "recent-counter", text: counter.full }));
    return li;
  });
  $("#recent-list").replaceChildren(...items);
  $("#recent-empty").hidden = items.length > 0;

  if (highlight) {
    // via: "event", or "snapshot" for a call made while the board was offline
    tell("shown", { number: highlight.ticket.number, via });
  }
}

// ------------------------------------------------------------------ clock

function syncClock(serverIso) {
  const at = Date.parse(serverIso || "");
  if (Number.isFinite(at)) clockOffsetMs = at - Date.now();
}

const timeFormats = new Map();
function formatter(kind) {
  const zone = office.timezone || "America/Bogota";
  const key = `${kind}|${zone}`;
  if (!timeFormats.has(key)) {
    /** @type {Intl.DateTimeFormatOptions} */
    const options = kind === "time"
      ? { hour: "numeric", minute: "2-digit", hour12: true, timeZone: zone }
      : { weekday: "long", day: "numeric", month: "long", timeZone: zone };
    try {
      timeFormats.set(key, new Intl.DateTimeFormat("es-CO", options));
    } catch (e) {
      timeFormats.set(key, new Intl.DateTimeFormat("es-CO", { ...options, timeZone: undefined }));
    }
  }
  return timeFormats.get(key);
}

function tick() {
  const now = new Date(Date.now() + clockOffsetMs);
  $("#clock-time").textContent = formatter("time").format(now);
  const date = formatter("date").format(now);
  $("#clock-date").textContent = date.charAt(0).toUpperCase() + date.slice(1);
}

tick();
setInterval(tick, 1000);

// ------------------------------------------------------------------ start

const live = new LiveEvents({
  onSnapshot: (snapshot) => serial(() => onSnapshot(snapshot)),
  onEvent: (event) => serial(() => onEvent(event)),
  onStatus: setConnected,
  onRefused: setRefused,
});
live.start();
