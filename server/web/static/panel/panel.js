// Clerk panel: sign in at a counter, see the ticket in hand and the line, act on it, give a
// ticket to a citizen who does not use the kiosk.
//
// Nothing that could wrong a citizen happens in one stray click: calling over a ticket only
// called asks "¿A-006 no se presentó?" first (the server refuses without the answer), the
// office's grace rule shows as a countdown on "No se presentó", a paused counter calls
// nobody, and pausing or signing out with a ticket in hand asks what to do with it.
//
// State comes from the live events socket (snapshot on every (re)connect, then one event per
// change), so the page never reloads; every action also applies its own answer at once, so
// the clerk never waits for the event to see the result. Buttons are disabled while a request
// is in flight, and "Llamar siguiente" tells the server which ticket the page believes is in
// hand: a double click can never call two tickets.
import { api, ApiError } from "../common/api.js";
import { $, h, show } from "../common/dom.js";
import { duration, seconds } from "../common/format.js";
import { loadLabels } from "../common/labels.js";
import { LiveEvents } from "../common/live.js";
import { signIn, signOut, whoAmI, whyEnded } from "../common/signin.js";

/** The pause reasons a clerk picks from (the menu shows all but the generic "other"). */
const PAUSE_CHOICES = ["break", "lunch", "other_task"];
const OUTCOMES = { served: "atendido", no_show: "ausente (no se presentó)" };
const STAFF = new Set(["clerk", "supervisor", "admin"]);

/** @type {Record<string, any>} */
const state = {
  me: null,
  pauseReasons: {},      // code → label, from /api/v1/labels
  number: null,          // this counter's number
  counter: null,         // public info: { number, name, services: [{code, name}] }
  services: [],          // every service of the office: [{ code, name, active, ... }]
  groups: [],            // preferential groups: [{ code, name, enabled }]
  noShowRule: { min_calls_before_no_show: 1, no_show_after_s: 0 },
  counterView: null,     // live counter view: { state, pause_reason, ticket, ... }
  waiting: new Map(),    // id → ticket view, every service (filtered when drawn)
  absent: new Map(),     // id → ticket view, today's no-shows of this counter's services
  busy: false,
  skewMs: 0,             // server clock − this computer's clock
  live: null,
};

/** @param {string} selector */
const button = (selector) => /** @type {HTMLButtonElement} */ ($(selector));
/** @type {() => HTMLSelectElement} */
const transferSelect = () => $("#transfer-service");
const now = () => (Date.now() + state.skewMs) / 1000;
const myServices = () => new Set(state.counter ? state.counter.services.map((s) => s.code) : []);
const inHand = () => (state.counterView ? state.counterView.ticket : null);
const serviceName = (code) => (state.services.find((s) => s.code === code) || {}).name || code;

// --------------------------------------------------------------------------- start

async function main() {
  let me;
  try {
    me = await whoAmI();
  } catch (e) {
    me = null;
  }
  if (me && STAFF.has(me.role) && me.counter !== null) {
    startDesk(me);
    return;
  }
  const notice = me && STAFF.has(me.role)
    ? "Para atender, ingrese de nuevo eligiendo su ventanilla." : "";
  askSignIn(notice);
}

async function askSignIn(notice = "") {
  if (state.live) {
    state.live.stop();
    state.live = null;
  }
  show($("#desk"), false);
  const box = $("#signin");
  show(box, true);
  const me = await signIn(box, { title: "Panel de ventanilla",
    subtitle: "Ingrese con su usuario y elija la ventanilla de este turno.",
    withCounter: true, notice });
  box.replaceChildren();
  show(box, false);
  startDesk(me);
}

async function startDesk(me) {
  state.me = me;
  state.number = me.counter;
  state.waiting.clear();
  state.absent.clear();
  state.counterView = null;
  show($("#desk"), true);
  $("#clerk-name").textContent = me.display_name || me.username;
  await loadOffice();
  render();
  state.live = new LiveEvents({
    onSnapshot: applySnapshot,
    onEvent: applyEvent,
    onStatus: setConnected,
    onRefused: () => sessionEnded(),
  });
  state.live.start();
}

// Counter names and services, and the service list: again whenever the admin changes them.
async function loadOffice() {
  try {
    const [counters, services, office, labels, groups] = await Promise.all([
      api("GET", "/api/v1/counters/public"),
      api("GET", "/api/v1/services"),
      api("GET", "/api/v1/office"),
      loadLabels(),
      api("GET", "/api/v1/groups"),
    ]);
    state.groups = groups;
    if (office.no_show_rule) state.noShowRule = office.no_show_rule;
    state.pauseReasons = labels.pause_reasons;
    renderPauseChoices();
    state.counter = counters.find((c) => c.number === state.number)
      || { number: state.number, name: `Ventanilla ${state.number}`, services: [] };
    state.services = services;
    renderIssueChoices();
    $("#office-name").textContent = office.name;
  } catch (e) {
    handleError(e);
  }
}

// --------------------------------------------------------------------------- live state

function applySnapshot(snapshot) {
  if (snapshot.queue && snapshot.queue.at) state.skewMs = Date.parse(snapshot.queue.at) - Date.now();
  state.waiting = new Map(snapshot.waiting.map((t) => [t.id, t]));
  const mine = snapshot.queue.counters.find((c) => c.number === state.number);
  if (mine) state.counterView = mine;
  render();
  loadAbsent();
}

function applyEvent(event) {
  if (event.at) state.skewMs = Date.parse(event.at) - Date.now();
  const t = event.ticket;
  if (t) {
    if (t.status === "waiting") state.waiting.set(t.id, t);
    else state.waiting.delete(t.id);
    if (t.status === "no_show" && myServices().has(t.service)) state.absent.set(t.id, t);
    else state.absent.delete(t.id);
    const held = inHand();
    if (state.counterView && held && held.id === t.id && t.counter !== state.number) {
      state.counterView = { ...state.counterView, ticket: null };
    }
    if (state.counterView && held && held.id === t.id && !["called", "serving"].includes(t.status)) {
      state.counterView = { ...state.counterView, ticket: null };
    }
  }
  if (event.counter && event.counter.number === state.number) state.counterView = event.counter;
  if (event.type === "config.changed") {
    loadOffice().then(render);
    return;
  }
  render();
}

async function loadAbsent() {
  try {
    const list = await api("GET",
      `/api/v1/tickets?status=no_show&day=today&counter=${state.number}`);
    state.absent = new Map(list.map((t) => [t.id, t]));
    renderAbsent();
  } catch (e) {
    handleError(e);
  }
}

function setConnected(connected) {
  if (!connected) checkSession();
  show($("#offline"), !connected);
  const pill = $("#conn");
  pill.textContent = connected ? "En línea" : "Sin conexión";
  pill.className = `conn ${connected ? "is-online" : "is-offline"}`;
}

// A socket that closes may mean the session ended (password changed, user disabled): then the
// sign-in form, not an endless "reconnecting". A server that is away keeps the banner.
async function checkSession() {
  try {
    if (await whoAmI() === null) sessionEnded();
  } catch (e) {
    // the server is away: LiveEvents keeps retrying and the banner says so
  }
}

// The session ended without the clerk asking (another person took or freed the counter, the
// password changed): the sign-in form says who and why when the server knows.
async function sessionEnded() {
  if (state.live) {
    state.live.stop();
    state.live = null;
  }
  askSignIn(await whyEnded());
}

// --------------------------------------------------------------------------- drawing

function render() {
  renderHeader();
  renderTicket();
  renderButtons();
  renderLine();
  renderAbsent();
}

function renderHeader() {
  const c = state.counter;
  if (!c) return;
  $("#counter-number").textContent = c.number;
  $("#counter-name").textContent = c.name;
  $("#counter-services").textContent = c.services.map((s) => s.name).join(" · ");
  const paused = state.counterView && state.counterView.state === "paused";
  show($("#paused"), paused);
  if (paused) {
    const reason = state.pauseReasons[state.counterView.pause_reason] || "";
    $("#paused-text").textContent = `Ventanilla en pausa${reason ? `: ${reason}` : ""}. `
      + "Los turnos no se llaman hasta que reanude.";
  }
  $("#btn-pause").hidden = paused;
}

// The reason buttons of the pause menu, before its "Cancelar".
function renderPauseChoices() {
  const box = $("#pause-options");
  for (const old of box.querySelectorAll("[data-reason]")) old.remove();
  box.prepend(...PAUSE_CHOICES.filter((code) => state.pauseReasons[code]).map((code) =>
    h("button", { type: "button", class: "btn", dataset: { reason: code },
      text: state.pauseReasons[code], onClick: () => pause(code) })));
}

function renderTicket() {
  const card = $("#ticket");
  const t = inHand();
  card.dataset.ticketId = t ? t.id : "";
  if (!t) {
    card.className = "ticket-card is-empty";
    card.replaceChildren(
      h("p", { class: "ticket-empty", text: "Sin turno en mano" }),
      h("p", { class: "ticket-hint" }, "Pulse «Llamar siguiente» o la tecla ",
        h("kbd", { text: "N" }), " para llamar al próximo turno."));
    return;
  }
  const serving = t.status === "serving";
  card.className = `ticket-card ${serving ? "is-serving" : "is-called"}`;
  const queued = seconds(t.queued_at) || seconds(t.issued_at);
  const firstCall = seconds(t.first_called_at) || seconds(t.called_at);
  const since = serving ? seconds(t.started_at) : seconds(t.called_at);
  const tags = [h("span", { class: `chip ${serving ? "chip-serving" : "chip-called"}`,
    text: serving ? "En atención" : "Llamado" })];
  if (t.preferential) {
    tags.push(h("span", { class: "chip chip-pref",
      text: `Preferencial${t.group_name ? ` · ${t.group_name}` : ""}` }));
  }
  if (t.transfers) tags.push(h("span", { class: "chip chip-muted", text: "Transferido" }));
  card.replaceChildren(
    h("div", { class: "ticket-number", id: "ticket-number", text: t.number }),
    h("p", { class: "ticket-service", text: t.service_name }),
    h("div", { class: "ticket-tags" }, tags),
    h("dl", { class: "ticket-facts" },
      fact("Esperó", duration(firstCall - queued), "ticket-waited"),
      fact("Llamado", t.call_count === 1 ? "1 vez" : `${t.call_count} veces`, "ticket-calls"),
      fact(serving ? "En atención hace" : "Llamado hace", duration(now() - since), "ticket-since")));
}

function fact(label, value, id) {
  return h("div", {}, h("dt", { text: label }), h("dd", { id, text: value }));
}

function renderButtons() {
  const t = inHand();
  const called = t && t.status === "called";
  const busy = state.busy;
  const paused = isPaused();
  const wait = called ? noShowWait(t) : "";
  button("#btn-next").disabled = busy || paused;
  button("#btn-next").title = paused ? "La ventanilla está en pausa; reanude primero." : "";
  button("#btn-recall").disabled = busy || !called;
  button("#btn-start").disabled = busy || !called;
  button("#btn-finish").disabled = busy || !t;
  button("#btn-noshow").disabled = busy || !called || Boolean(wait);
  $("#noshow-wait").textContent = wait ? `(${wait})` : "";
  const select = transferSelect();
  const options = state.services.filter((s) => s.active && (!t || s.code !== t.service));
  const keep = select.value;
  select.replaceChildren(...options.map((s) => h("option", { value: s.code,
    text: `${s.code} · ${s.name}` })));
  if (options.some((s) => s.code === keep)) select.value = keep;
  select.disabled = busy || !t;
  button("#btn-transfer").disabled = busy || !t || !options.length;
  button("#btn-pause").disabled = busy;
  button("#btn-resume").disabled = busy;
  for (const b of document.querySelectorAll("#waiting button")) {
    /** @type {HTMLButtonElement} */ (b).disabled = busy || paused;
  }
  for (const b of document.querySelectorAll("#absent button")) {
    /** @type {HTMLButtonElement} */ (b).disabled = busy;
  }
  button("#btn-issue").disabled = busy;
}

const isPaused = () => Boolean(state.counterView && state.counterView.state === "paused");

/**
 * What is still missing before the office's grace rule allows "No se presentó" ("" when it
 * does): calls to make, or a countdown in seconds from the first call.
 */
function noShowWait(t) {
  if (t.call_count === undefined) return "";
  const rule = state.noShowRule;
  const missing = rule.min_calls_before_no_show - t.call_count;
  if (missing > 0) return missing === 1 ? "llame 1 vez más" : `llame ${missing} veces más`;
  const first = seconds(t.first_called_at) || seconds(t.called_at);
  const left = Math.ceil(first + rule.no_show_after_s - now());
  return left > 0 ? `en ${left} s` : "";
}

function myLine() {
  const mine = myServices();
  return [...state.waiting.values()]
    .filter((t) => mine.has(t.service))
    .sort((a, b) => seconds(a.queued_at) - seconds(b.queued_at)
      || seconds(a.issued_at) - seconds(b.issued_at));
}

function renderLine() {
  const line = myLine();
  const t = now();
  $("#stat-total").textContent = String(line.length);
  $("#stat-pref").textContent = String(line.filter((x) => x.preferential).length);
  const longest = line.length ? t - seconds(line[0].queued_at) : null;
  $("#stat-longest").textContent = longest === null ? "—" : duration(longest);
  const overTarget = line.some((x) => {
    const svc = state.services.find((s) => s.code === x.service);
    return svc && t - seconds(x.queued_at) > svc.target_wait_min * 60;
  });
  $("#stat-longest-box").classList.toggle("is-late", overTarget);

  const rows = (state.counter ? state.counter.services : []).map((s) => {
    const mine = line.filter((x) => x.service === s.code);
    const pref = mine.filter((x) => x.preferential).length;
    return h("li", { dataset: { service: s.code } },
      h("span", {}, `${s.code} · ${s.name}`),
      h("span", {}, h("span", { class: "count", text: mine.length }),
        pref ? h("span", { class: "muted", text: ` (${pref} pref.)` }) : null));
  });
  $("#per-service").replaceChildren(...rows);

  const ordered = [...line.filter((x) => x.preferential), ...line.filter((x) => !x.preferential)];
  $("#waiting").replaceChildren(...ordered.map((x) => ticketRow(x, "Llamar",
    `Llamar ${x.number}`, () => callSpecific(x), t - seconds(x.queued_at))));
  show($("#waiting-empty"), !line.length);
  renderButtons();
}

function renderAbsent() {
  const list = [...state.absent.values()].filter((x) => myServices().has(x.service))
    .sort((a, b) => seconds(b.finished_at) - seconds(a.finished_at));
  $("#absent").replaceChildren(...list.map((x) => ticketRow(x, "Reactivar",
    `Reactivar ${x.number}`, () => reactivate(x), null)));
  show($("#absent-empty"), !list.length);
  for (const b of document.querySelectorAll("#absent button")) {
    /** @type {HTMLButtonElement} */ (b).disabled = state.busy;
  }
}

function ticketRow(t, label, aria, onClick, waited) {
  const meta = [h("span", { text: t.service_name })];
  if (t.preferential) meta.push(h("span", { class: "pref", text: `Preferencial · ${t.group_name || t.group}` }));
  if (waited !== null) meta.push(h("span", { class: "wait", text: `Espera ${duration(waited)}` }));
  else if (t.finished_at) {
    // The ISO time is the office's local time: show its clock as is.
    meta.push(h("span", { class: "wait", text: `Ausente desde las ${t.finished_at.slice(11, 16)}` }));
  }
  return h("li", { class: t.preferential ? "is-pref" : "", dataset: { ticket: t.number } },
    h("span", { class: "num", text: t.number }),
    h("div", { class: "meta" }, meta),
    h("button", { type: "button", class: "btn btn-small", "aria-label": aria, text: label,
      disabled: state.busy, onClick }));
}

// --------------------------------------------------------------------------- actions

function flash(text, kind = "info") {
  const box = $("#flash");
  box.textContent = text;
  box.className = `flash is-${kind}`;
}

function handleError(e) {
  if (e instanceof ApiError && e.status === 401) {
    sessionEnded();
    return;
  }
  flash(e.message || "Algo salió mal. Intente de nuevo.", "error");
}

// Runs one request at a time: while it is in flight every action button is disabled.
async function act(request) {
  if (state.busy) return;
  state.busy = true;
  renderButtons();
  try {
    await request();
  } catch (e) {
    handleError(e);
  } finally {
    state.busy = false;
    render();
  }
}

// Apply an action's answer at once (the matching event confirms it a moment later).
function takeTicket(ticket, { called = false } = {}) {
  const inHandNow = ticket && ["called", "serving"].includes(ticket.status)
    && ticket.counter === state.number;
  state.counterView = { ...(state.counterView || {}), ticket: inHandNow ? ticket : null };
  if (called) Object.assign(state.counterView, { state: "open", pause_reason: null });
  if (ticket) {
    state.waiting.delete(ticket.id);
    if (ticket.status === "no_show") state.absent.set(ticket.id, ticket);
  }
}

/**
 * Ask the clerk a question with a few choices, in one tap; resolves with the chosen key, or
 * null for "Cancelar". Nothing that could wrong a citizen happens without this answer.
 * @param {string} text
 * @param {{ key: string, label: string, kind?: string, disabled?: boolean }[]} choices
 * @returns {Promise<string | null>}
 */
function ask(text, choices) {
  const box = $("#ask");
  return new Promise((resolve) => {
    const done = (key) => {
      show(box, false);
      box.replaceChildren(h("p", { id: "ask-text", class: "ask-text" }),
        h("div", { id: "ask-choices", class: "ask-choices" }));
      resolve(key);
    };
    $("#ask-text").textContent = text;
    $("#ask-choices").replaceChildren(
      ...choices.map((c) => h("button", { type: "button", class: `btn ${c.kind || ""}`,
        disabled: c.disabled, text: c.label, onClick: () => done(c.key) })),
      h("button", { type: "button", class: "btn btn-quiet", text: "Cancelar",
        onClick: () => done(null) }));
    show(box, true);
    const first = /** @type {HTMLButtonElement | null} */ (box.querySelector("button:not(:disabled)"));
    if (first) first.focus();
  });
}

/** For a ticket called but not started: did the person come? ("served" / "no_show" / null) */
function askPrevious(t) {
  const wait = noShowWait(t);
  return ask(`¿${t.number} no se presentó?`, [
    { key: "no_show", label: wait ? `No se presentó (${wait})` : "No se presentó",
      kind: "btn-danger", disabled: Boolean(wait) },
    { key: "served", label: `Sí se presentó: ${t.number} atendido`, kind: "btn-success" },
  ]);
}

/**
 * Send a call; when the counter holds a called ticket the page did not know about (another
 * screen), ask about that one and try again.
 */
async function sendCall(path, body) {
  try {
    return await api("POST", path, body);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 409 || !e.body.ticket) throw e;
    const held = e.body.ticket; // only id, number, status: the server applies the grace rule
    const previous = await askPrevious(held);
    if (!previous) return undefined;
    return api("POST", path, { ...body, in_hand: held.id, previous });
  }
}

function describeCall(result) {
  const parts = [];
  if (result && result.closed_previous) {
    const prev = result.closed_previous;
    parts.push(`${prev.number} se cerró como ${OUTCOMES[prev.outcome] || prev.outcome}.`);
  }
  if (!result) parts.push("No hay turnos en espera para esta ventanilla.");
  else if (result.repeated) parts.push(`${result.number} ya estaba en su ventanilla; no se llamó otro turno.`);
  else parts.push(`Llamando a ${result.number}.`);
  return parts.join(" ");
}

/** Before calling: what became of a ticket only called (null: the clerk cancelled). */
async function previousChoice() {
  const held = inHand();
  if (!held || held.status !== "called") return { held, previous: undefined };
  const previous = await askPrevious(held);
  return previous ? { held, previous } : null;
}

async function callNext() {
  if (state.busy || isPaused()) return undefined;
  const choice = await previousChoice();
  if (!choice) return undefined;
  return act(async () => {
    const { held, previous } = choice;
    const result = await sendCall(`/api/v1/counters/${state.number}/next`,
      { in_hand: held ? held.id : null, previous });
    if (result === undefined) return;
    takeTicket(result, { called: true });
    flash(describeCall(result), result ? "ok" : "info");
  });
}

async function callSpecific(ticket) {
  if (state.busy || isPaused()) return undefined;
  const choice = await previousChoice();
  if (!choice) return undefined;
  return act(async () => {
    const result = await sendCall(`/api/v1/counters/${state.number}/call`,
      { ticket: ticket.id, previous: choice.previous });
    if (result === undefined) return;
    takeTicket(result, { called: true });
    flash(describeCall(result), "ok");
  });
}

function ticketAction(path, message) {
  const t = inHand();
  if (!t) return undefined;
  return act(async () => {
    const result = await api("POST", `/api/v1/tickets/${encodeURIComponent(t.id)}/${path}`);
    takeTicket(result);
    if (result.status === "waiting") state.waiting.set(result.id, result);
    flash(message(result), "ok");
  });
}

function transfer() {
  const t = inHand();
  const code = transferSelect().value;
  if (!t || !code) return undefined;
  return act(async () => {
    const result = await api("POST", `/api/v1/tickets/${encodeURIComponent(t.id)}/transfer`,
      { service: code });
    takeTicket(result);
    state.waiting.set(result.id, result);
    flash(`${result.number} pasó a la fila de ${serviceName(code)}, conservando su lugar.`, "ok");
  });
}

function reactivate(ticket) {
  return act(async () => {
    const result = await api("POST", `/api/v1/tickets/${encodeURIComponent(ticket.id)}/reactivate`);
    state.absent.delete(result.id);
    state.waiting.set(result.id, result);
    flash(`${result.number} volvió a la fila en su lugar original.`, "ok");
  });
}

function pause(reason) {
  return act(async () => {
    state.counterView = await api("POST", `/api/v1/counters/${state.number}/pause`, { reason });
    show($("#pause-menu"), false);
    $("#btn-pause").setAttribute("aria-expanded", "false");
    flash(`Ventanilla en pausa: ${state.pauseReasons[reason] || reason}.`, "info");
  });
}

// Pausing with a ticket in hand: finish it (or say the person did not come) first.
async function openPauseMenu() {
  const menu = $("#pause-menu");
  if (menu.hidden) {
    const t = inHand();
    if (t) {
      const called = t.status === "called";
      const wait = called ? noShowWait(t) : "";
      const choice = await ask(called ? `${t.number} fue llamado: diga si se presentó antes de pausar.`
        : `Finalice la atención de ${t.number} antes de pausar.`, [
        { key: "finish", label: `Finalizar ${t.number}`, kind: "btn-success" },
        ...(called ? [{ key: "no-show", label: wait ? `No se presentó (${wait})` : "No se presentó",
          kind: "btn-danger", disabled: Boolean(wait) }] : []),
      ]);
      if (!choice) return;
      await ticketAction(choice, (r) => `${r.number} ${choice === "finish" ? "atendido" : "quedó como ausente"}.`);
      if (inHand()) return;
    }
  }
  show(menu, menu.hidden);
  $("#btn-pause").setAttribute("aria-expanded", String(!menu.hidden));
  if (!menu.hidden) $("button", menu).focus();
}

// Signing out with a ticket in hand asks what to do with it: a ticket is never left
// "serving" at a closed counter.
async function logout() {
  const t = inHand();
  /** @type {Record<string, string> | undefined} */
  let body;
  if (t) {
    const wait = t.status === "called" ? noShowWait(t) : "";
    const choice = await ask(`Tiene ${t.number} en mano. ¿Qué hace con el turno antes de cerrar sesión?`, [
      { key: "finish", label: `Finalizar ${t.number}`, kind: "btn-success" },
      { key: "return", label: "Devolver a la fila (conserva su lugar)" },
      ...(t.status === "called" ? [{ key: "no_show", label: wait ? `No se presentó (${wait})`
        : "No se presentó", kind: "btn-danger", disabled: Boolean(wait) }] : []),
    ]);
    if (!choice) return;
    body = { in_hand: choice };
  }
  if (state.live) {
    state.live.stop();
    state.live = null;
  }
  try {
    await signOut(body);
  } catch (e) {
    // A ticket reached the counter meanwhile (another screen): back to the desk to decide.
    handleError(e);
    startDesk(state.me);
  }
}

// --------------------------------------------------------------------------- giving a ticket

function renderIssueChoices() {
  const service = /** @type {HTMLSelectElement} */ ($("#issue-service"));
  const group = /** @type {HTMLSelectElement} */ ($("#issue-group"));
  const keep = [service.value, group.value];
  service.replaceChildren(...state.services.filter((s) => s.active).map((s) =>
    h("option", { value: s.code, text: `${s.code} · ${s.name}` })));
  group.replaceChildren(h("option", { value: "", text: "No pertenece a ningún grupo" }),
    ...state.groups.filter((g) => g.enabled !== false).map((g) =>
      h("option", { value: g.code, text: g.name })));
  if (keep[0]) service.value = keep[0];
  if (keep[1]) group.value = keep[1];
  if (!service.value && service.options.length) service.selectedIndex = 0;
}

function issueTicket(event) {
  event.preventDefault();
  const service = /** @type {HTMLSelectElement} */ ($("#issue-service")).value;
  const group = /** @type {HTMLSelectElement} */ ($("#issue-group")).value || null;
  if (!service) return undefined;
  return act(async () => {
    const t = await api("POST", `/api/v1/counters/${state.number}/issue`, { service, group });
    state.waiting.set(t.id, t);
    $("#issued-number").textContent = t.number;
    const pref = t.group_name ? ` · Preferencial: ${t.group_name}` : "";
    $("#issued-text").textContent = `${t.service_name}${pref}. Con el código QR sigue su turno en el celular.`;
    /** @type {HTMLImageElement} */ ($("#issued-qr")).src = `/api/v1/tickets/${encodeURIComponent(t.id)}/qr.svg`;
    show($("#issued"), true);
    flash(`Turno ${t.number} entregado; espera en la fila como cualquier otro.`, "ok");
  });
}

function resume() {
  return act(async () => {
    state.counterView = await api("POST", `/api/v1/counters/${state.number}/resume`);
    flash("Ventanilla abierta de nuevo.", "ok");
  });
}

// --------------------------------------------------------------------------- wiring

function wire() {
  $("#btn-next").addEventListener("click", callNext);
  $("#btn-recall").addEventListener("click", () => ticketAction("recall",
    (t) => `Volviendo a llamar a ${t.number} (llamado ${t.call_count} veces).`));
  $("#btn-start").addEventListener("click", () => ticketAction("start",
    (t) => `Atendiendo a ${t.number}.`));
  $("#btn-finish").addEventListener("click", () => ticketAction("finish",
    (t) => `${t.number} atendido.`));
  $("#btn-noshow").addEventListener("click", () => ticketAction("no-show",
    (t) => `${t.number} quedó como ausente. Puede reactivarlo si se presenta.`));
  $("#btn-transfer").addEventListener("click", transfer);
  $("#btn-pause").addEventListener("click", openPauseMenu);
  $("#pause-cancel").addEventListener("click", () => {
    show($("#pause-menu"), false);
    $("#btn-pause").setAttribute("aria-expanded", "false");
  });
  $("#btn-resume").addEventListener("click", resume);
  $("#btn-logout").addEventListener("click", logout);
  $("#issue-form").addEventListener("submit", issueTicket);
  $("#btn-issued-print").addEventListener("click", () => window.print());

  // Keyboard shortcuts for the frequent actions; never while typing in a field.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    if ($("#desk").hidden || !$("#ask").hidden) return;  // a question waits for its answer
    const target = /** @type {HTMLElement | null} */ (event.target);
    if (target && (target.isContentEditable
      || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))) return;
    const shortcut = /** @type {HTMLButtonElement | null} */ (
      document.querySelector(`.actions [data-key="${event.key.toLowerCase()}"]`));
    if (!shortcut) return;
    event.preventDefault();
    if (!shortcut.disabled) shortcut.click();
  });

  // Waiting and attention times keep counting between events.
  setInterval(() => {
    if (!$("#desk").hidden) {
      renderTicket();
      renderLine();
    }
  }, 10000);
  // The grace countdown before "No se presentó" counts by the second.
  setInterval(() => {
    const t = inHand();
    if (!$("#desk").hidden && t && t.status === "called" && state.noShowRule.no_show_after_s) {
      renderButtons();
    }
  }, 1000);
}

wire();
main();
