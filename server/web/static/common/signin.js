// The one sign-in of the staff pages (/panel, /admin, /supervisor, /supervisor/report). The
// server does the real work: password check, throttling after repeated failures (429),
// counter already taken (409), roles on every API call.
//
//   const me = await requireRole($("#signin"), { roles: ["admin"], who: "administradores",
//                                                 title: "Administración" });
//   signOut();   // ends the session and reloads: nothing of the previous user stays in memory
import { api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { loadLabels } from "./labels.js";

/**
 * @typedef {object} Me
 * @property {string} role
 * @property {string} username
 * @property {string} display_name
 * @property {number | null} counter
 */

/**
 * @typedef {object} SignInOptions
 * @property {string} title
 * @property {string} [subtitle]
 * @property {boolean} [withCounter]  ask for the counter (the clerk panel), required
 * @property {string} [notice]        a line above the form (e.g. "Su sesión terminó")
 * @property {string} [clerkRefused]  shown when a clerk signs in without a counter (the server
 *   asks for one only after the password was right: a clerk, on a page that is not for clerks)
 */

/** @returns {Promise<Me | null>} who is signed in, null when nobody is */
export async function whoAmI() {
  try {
    return await api("GET", "/api/v1/auth/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Marks a sign-out the person asked for, so the reloaded form says "Sesión cerrada". */
const SIGNED_OUT_KEY = "turnero-signed-out";

/**
 * End the session, then reload the page, which asks for a new sign-in ("Sesión cerrada").
 * A clerk with a ticket in hand sends what to do with it (`{ in_hand: "return" }`); the
 * server refuses (409) without it, and the caller asks the clerk.
 * @param {Record<string, unknown> | undefined} [body]
 */
export async function signOut(body) {
  // Used directly as a click listener too: the event is not a body.
  const payload = body instanceof Event ? undefined : body;
  try {
    await api("POST", "/api/v1/auth/logout", payload);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) throw e;
    // Already signed out, or the server is away: the reloaded page tells which.
  }
  sessionStorage.setItem(SIGNED_OUT_KEY, "1");
  location.reload();
}

/**
 * What to tell a person whose session ended without asking: who took or freed their counter
 * and why, when that is what happened; otherwise the generic notice.
 * @returns {Promise<string>}
 */
export async function whyEnded() {
  try {
    const ended = await api("GET", "/api/v1/auth/ended");
    if (ended.taken) return `Su sesión terminó: ${ended.detail} Ingrese de nuevo.`;
  } catch (e) {
    // the generic notice below
  }
  return "Su sesión terminó. Ingrese de nuevo.";
}

/** The notice after a sign-out the person asked for (read once). */
function signedOutNotice() {
  if (!sessionStorage.getItem(SIGNED_OUT_KEY)) return "";
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  return "Sesión cerrada.";
}

/**
 * @param {{ name: string, services: { name: string }[] }} c
 */
function counterLabel(c) {
  const services = c.services.map((s) => s.name).join(", ");
  return services ? `${c.name} — ${services}` : c.name;
}

/**
 * Renders the sign-in form into `container` and resolves once signed in.
 * @param {HTMLElement} container
 * @param {SignInOptions} options
 * @returns {Promise<Me>}
 */
export function signIn(container, { title, subtitle = "", withCounter = false, notice = "",
  clerkRefused = "" }) {
  notice = notice || signedOutNotice();
  return new Promise((resolve) => {
    container.replaceChildren();
    container.hidden = false;
    const message = h("div", { class: "form-message", id: "signin-message", role: "alert" });
    const user = h("input", { id: "signin-user", name: "username", type: "text", required: true,
      autocomplete: "username", autocapitalize: "none", spellcheck: "false" });
    const password = h("input", { id: "signin-password", name: "password", type: "password",
      required: true, autocomplete: "current-password" });
    const fields = [
      h("div", { class: "field" }, h("label", { for: "signin-user", text: "Usuario" }), user),
      h("div", { class: "field" },
        h("label", { for: "signin-password", text: "Contraseña" }), password),
    ];
    /** @type {HTMLSelectElement | null} */
    let counter = null;
    if (withCounter) {
      counter = h("select", { id: "signin-counter", name: "counter", required: true },
        h("option", { value: "", text: "Cargando ventanillas…" }));
      fields.push(h("div", { class: "field" },
        h("label", { for: "signin-counter", text: "Ventanilla" }), counter));
      loadCounters(counter, message);
    }
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block",
      text: "Ingresar" });
    const reason = h("input", { id: "signin-reason", name: "reason", type: "text",
      maxlength: "200", autocomplete: "off" });
    const reasonField = h("div", { class: "field", hidden: true },
      h("label", { for: "signin-reason",
        text: "Motivo para tomarla (lo verá quien la tenía)" }), reason);
    const takeOver = h("button", { type: "button", class: "btn btn-warn btn-block", hidden: true,
      text: "Tomar esta ventanilla" });
    const form = h("form", { class: "signin-form", novalidate: true },
      ...fields, message, submit, reasonField, takeOver);
    const card = h("section", { class: "signin-card", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title", text: title }),
      subtitle ? h("p", { class: "muted", text: subtitle }) : null,
      notice ? h("p", { class: "notice", text: notice }) : null,
      form);
    // One main landmark per page: inside a page's <main> the form is a plain block.
    container.append(h(container.closest("main") ? "div" : "main", { class: "signin-page" },
      card));

    /** @param {boolean} force  take over a counter held by someone else */
    async function attempt(force) {
      message.textContent = "";
      message.className = "form-message";
      takeOver.hidden = true;
      reasonField.hidden = true;
      /** @type {Record<string, unknown>} */
      const body = { username: user.value.trim(), password: password.value, force };
      if (force && reason.value.trim()) body.reason = reason.value.trim();
      if (!body.username || !body.password) {
        fail("Escriba su usuario y su contraseña.");
        return;
      }
      if (counter) {
        if (!counter.value) {
          fail("Elija la ventanilla en la que va a atender.");
          return;
        }
        body.counter = Number(counter.value);
      }
      submit.disabled = true;
      takeOver.disabled = true;
      try {
        const me = await api("POST", "/api/v1/auth/login", body);
        container.replaceChildren();
        container.hidden = true;
        resolve(me);
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        const clerk = status === 422 && !counter && clerkRefused;
        fail(clerk ? clerkRefused : /** @type {Error} */ (e).message);
        // Taking over is a supervisor's act: a clerk refused (403) keeps the advice to ask
        // the supervisor to free the counter, and no button that cannot work.
        if (status === 409 && counter) {
          takeOver.hidden = false;
          reasonField.hidden = false;
        }
        if (status === 401) password.select();
      } finally {
        submit.disabled = false;
        takeOver.disabled = false;
      }
    }

    /** @param {string} text */
    function fail(text) {
      message.textContent = text;
      message.className = "form-message is-error";
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      attempt(false);
    });
    takeOver.addEventListener("click", () => attempt(true));
    user.focus();
  });
}

/**
 * @param {HTMLSelectElement} select
 * @param {HTMLElement} message
 */
async function loadCounters(select, message) {
  try {
    /** @type {{ number: number, name: string, services: { name: string }[] }[]} */
    const counters = await api("GET", "/api/v1/counters/public");
    select.replaceChildren(h("option", { value: "", text: "Elija su ventanilla…" }),
      ...counters.map((c) => h("option", { value: c.number, text: counterLabel(c) })));
  } catch (e) {
    select.replaceChildren(h("option", { value: "", text: "No se pudieron cargar" }));
    message.textContent = /** @type {Error} */ (e).message;
    message.className = "form-message is-error";
  }
}

/**
 * The "No tiene permiso" notice for a signed-in user of another role, with a way out.
 * @param {HTMLElement} container
 * @param {Me} me
 * @param {string} who  whom the page is for, e.g. "administradores"
 */
async function showDenied(container, me, who) {
  let role = me.role;
  try {
    role = ((await loadLabels()).roles[me.role] || me.role).toLowerCase();
  } catch (e) {
    // the code is still clear enough
  }
  container.replaceChildren(h(container.closest("main") ? "div" : "main", { class: "denied" },
    h("section", { class: "denied-card", "aria-labelledby": "denied-title" },
      h("h1", { id: "denied-title", text: "No tiene permiso" }),
      h("p", {}, `Esta página es solo para ${who}. Usted inició sesión como `,
        h("strong", { id: "denied-role", text: role }), "."),
      h("button", { type: "button", class: "btn btn-primary", id: "denied-signout",
        text: "Cerrar sesión y entrar con otro usuario", onClick: signOut }))));
  container.hidden = false;
}

/**
 * Resolves with the signed-in user once it has one of `roles`: asks for a sign-in when
 * nobody is signed in, and shows "No tiene permiso" (never resolving) for other roles.
 * @param {HTMLElement} container  where the form or the notice go
 * @param {{ roles: string[], who: string, title: string, subtitle?: string }} options
 * @returns {Promise<Me>}
 */
export async function requireRole(container, { roles, who, title, subtitle = "" }) {
  let me = null;
  try {
    me = await whoAmI();
  } catch (e) {
    me = null; // the server is away: the form says so when it is sent
  }
  if (!me) {
    me = await signIn(container, { title, subtitle,
      clerkRefused: `No tiene permiso: esta página es solo para ${who}. `
        + "Para atender, ingrese en el panel de ventanilla (/panel)." });
  }
  if (!roles.includes(me.role)) {
    await showDenied(container, me, who);
    return new Promise(() => {});
  }
  container.replaceChildren();
  container.hidden = true;
  return me;
}
