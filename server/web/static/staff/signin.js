// The sign-in form shared by the staff pages (/panel, /admin). The server does the real work:
// password check, throttling after repeated failures (429), counter already taken (409).
import { api, ApiError } from "../common/live.js";
import { h } from "./dom.js";

export async function whoAmI() {
  try {
    return await api("GET", "/api/v1/auth/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut() {
  try {
    await api("POST", "/api/v1/auth/logout");
  } catch (e) {
    // Already signed out or the server is away: the cookie goes with the session anyway.
  }
}

function counterLabel(c) {
  const services = c.services.map((s) => s.name).join(", ");
  return services ? `${c.name} — ${services}` : c.name;
}

// Renders the form into `container` and resolves once signed in.
//   withCounter: ask for the counter (the clerk panel), required
//   notice: a line shown above the form (e.g. "Su sesión terminó")
//   clerkRefused: shown when a clerk signs in without a counter (the server asks for one only
//                 after the password was right, so this means "a clerk, on a non-clerk page")
export function signIn(container, { title, subtitle, withCounter = false, notice = "",
  clerkRefused = "" }) {
  return new Promise((resolve) => {
    container.replaceChildren();
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
    const takeOver = h("button", { type: "button", class: "btn btn-warn btn-block", hidden: true,
      text: "Tomar esta ventanilla" });
    const form = h("form", { class: "signin-form", novalidate: true },
      ...fields, message, submit, takeOver);
    const card = h("section", { class: "signin-card", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title", text: title }),
      subtitle ? h("p", { class: "muted", text: subtitle }) : null,
      notice ? h("p", { class: "notice", text: notice }) : null,
      form);
    container.append(h("main", { class: "signin-page" }, card));

    async function attempt(force) {
      message.textContent = "";
      message.className = "form-message";
      takeOver.hidden = true;
      const body = { username: user.value.trim(), password: password.value, force };
      if (!body.username || !body.password) {
        return fail("Escriba su usuario y su contraseña.");
      }
      if (counter) {
        if (!counter.value) return fail("Elija la ventanilla en la que va a atender.");
        body.counter = Number(counter.value);
      }
      submit.disabled = true;
      takeOver.disabled = true;
      try {
        const me = await api("POST", "/api/v1/auth/login", body);
        resolve(me);
      } catch (e) {
        const clerk = e instanceof ApiError && e.status === 422 && !counter && clerkRefused;
        fail(clerk ? clerkRefused : e.message);
        if (e instanceof ApiError && e.status === 409 && counter) takeOver.hidden = false;
        if (e instanceof ApiError && e.status === 401) password.select();
      } finally {
        submit.disabled = false;
        takeOver.disabled = false;
      }
      return undefined;
    }

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

async function loadCounters(select, message) {
  try {
    const counters = await api("GET", "/api/v1/counters/public");
    select.replaceChildren(h("option", { value: "", text: "Elija su ventanilla…" }),
      ...counters.map((c) => h("option", { value: c.number, text: counterLabel(c) })));
  } catch (e) {
    select.replaceChildren(h("option", { value: "", text: "No se pudieron cargar" }));
    message.textContent = e.message;
    message.className = "form-message is-error";
  }
}
