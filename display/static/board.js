// The display board: live calls from the events websocket, big and spoken.
//
// Settings come from the address: ?board=<code> (an area defined in the office configuration),
// &voice=es|es-419, &speed=80..260 (words per minute), &volume=0..1, &silent=1.
// Test and monitoring hooks live on <body> as data-* attributes (shown/announced counters).

import { LiveEvents } from "/static/common/live.js";
import { Announcer } from "./announcer.js";
import { CallBoard, counterNumber, isCall } from "./calls.js";

const params = new URLSearchParams(location.search);
const settings = {
  board: params.get("board"),
  voice: ["es", "es-419"].includes(params.get("voice")) ? params.get("voice") : "es-419",
  speed: clampNumber(params.get("speed"), 80, 260, 150),
  volume: clampNumber(params.get("volume"), 0, 1, 1),
  silent: ["1", "true", "si", "sí"].includes((params.get("silent") || "").toLowerCase()),
};
const LOG_LIMIT = 20;

const $ = (id) => document.getElementById(id);
const hooks = document.body.dataset;
hooks.shown = "0";
hooks.announced = "0";
hooks.announceLog = "";
hooks.connected = "false";
hooks.announcerIdle = "true";

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
    if (!spoken) {
      hooks.announceFailures = String(Number(hooks.announceFailures || 0) + 1);
      return;
    }
    hooks.announced = String(Number(hooks.announced) + 1);
    hooks.lastAnnounced = call.ticket.number;
    const log = hooks.announceLog ? hooks.announceLog.split(" ") : [];
    log.push(call.ticket.number);
    hooks.announceLog = log.slice(-LOG_LIMIT).join(" ");
  },
  onBlocked() {
    $("unlock").hidden = false;
  },
  onIdle(idle) {
    hooks.announcerIdle = String(idle);
  },
});

$("unlock").addEventListener("click", () => {
  $("unlock").hidden = true;
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
      const response = await fetch("/api/v1/office", { credentials: "same-origin" });
      if (response.status === 401 || response.status === 403) {
        showProblem("Pantalla sin autorizar",
                    "El token de esta pantalla fue revocado. Pida al administrador un enlace " +
                    "nuevo de pantalla.");
        return false;
      }
      if (response.ok) {
        office = await response.json();
        return true;
      }
    } catch (e) {
      // network hiccup: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

function applyOffice() {
  document.title = office.name ? `Turnos — ${office.name}` : "Pantalla de turnos";
  $("office-name").textContent = office.name || "Pantalla de turnos";
  const message = $("message");
  message.textContent = office.board_message || "";
  message.hidden = !office.board_message;

  const boards = office.boards || [];
  const area = settings.board ? boards.find((b) => b.code === settings.board) : null;
  const boardName = $("board-name");
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
  $("problem-title").textContent = title;
  $("problem-text").textContent = text;
  $("problem").hidden = false;
  hooks.problem = title;
}

function hideProblem() {
  $("problem").hidden = true;
  delete hooks.problem;
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
  $("offline").hidden = connected;
  if (connected) $("offline-text").textContent = "sin conexión";
  hooks.connected = String(connected);
}

// The server closed the link because this screen's token was revoked (or is not a display
// token): a technician must issue a new one; say it plainly instead of "sin conexión".
function setRefused() {
  $("offline-text").textContent = "pantalla sin autorización: pida un token nuevo";
  $("offline").hidden = false;
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

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function badge() {
  const el = element("span", "badge");
  el.append(element("span", "badge-icon", "★"), element("span", "", "Preferencial"));
  return el;
}

function render(highlight, via = "") {
  const list = calls ? calls.calls : [];
  const now = $("now");
  const current = list[0];
  now.replaceChildren();
  now.classList.remove("flash");
  if (!current) {
    now.classList.add("is-empty");
    now.append(element("p", "now-empty", "Espere su llamado en esta pantalla"));
  } else {
    now.classList.remove("is-empty");
    const counter = counterLabel(current);
    const ticketBlock = element("div", "now-block");
    ticketBlock.append(element("span", "caption", "Turno"),
                       element("span", "now-number", current.ticket.number));
    const counterBlock = element("div", "now-block");
    const value = element("span", "now-counter", counter.value);
    if (counter.value.length > 6) value.classList.add("is-long");
    counterBlock.append(element("span", "caption", counter.caption), value);
    now.append(ticketBlock, element("hr", "now-divider"), counterBlock);
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
    const li = element("li", "recent-item");
    li.dataset.number = call.ticket.number;
    const tag = element("span", "recent-tag");
    if (call.ticket.preferential) {
      li.classList.add("is-preferential");
      tag.append(badge());
    }
    li.append(element("span", "recent-number", call.ticket.number), tag,
              element("span", "recent-counter", counter.full));
    return li;
  });
  $("recent-list").replaceChildren(...items);
  $("recent-empty").hidden = items.length > 0;

  if (highlight) {
    hooks.shown = String(Number(hooks.shown) + 1);
    hooks.lastShown = highlight.ticket.number;
    hooks.lastShownAt = String(Date.now());
    hooks.lastShownVia = via; // "event", or "snapshot" for a call made while offline
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
  $("clock-time").textContent = formatter("time").format(now);
  const date = formatter("date").format(now);
  $("clock-date").textContent = date.charAt(0).toUpperCase() + date.slice(1);
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
