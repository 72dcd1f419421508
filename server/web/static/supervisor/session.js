// Who is signed in, and the sign-in / "no permission" screens shared by the supervisor pages.
import { api, ApiError } from "/static/common/live.js";
import { el } from "./format.js";

const MANAGERS = new Set(["supervisor", "admin"]);
const ROLE_NAMES = { clerk: "funcionario de ventanilla", kiosk: "quiosco", display: "pantalla" };

function show(id, visible) {
  const node = document.getElementById(id);
  if (node) node.hidden = !visible;
}

async function whoAmI() {
  try {
    return await api("GET", "/api/v1/auth/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

async function logout() {
  try {
    await api("POST", "/api/v1/auth/logout");
  } finally {
    location.reload();
  }
}

// The sign-in form and the "no permission" notice, built once into <div id="gate">.
function buildGate() {
  const field = (id, label, attrs) => [el("label", { for: id }, label),
    el("input", { id, name: id, required: true, ...attrs })];
  document.getElementById("gate").replaceChildren(
    el("section", { id: "signin", class: "card narrow", "aria-labelledby": "signin-title", hidden: true },
      el("h2", { id: "signin-title" }, "Iniciar sesión"),
      el("p", { class: "muted" }, "Para supervisores y administradores."),
      el("form", { id: "signin-form", novalidate: true },
        ...field("username", "Usuario", { autocomplete: "username" }),
        ...field("password", "Contraseña", { type: "password", autocomplete: "current-password" }),
        el("p", { id: "signin-error", class: "error", role: "alert" }),
        el("button", { type: "submit", class: "btn primary wide" }, "Entrar"))),
    el("section", { id: "denied", class: "card narrow", "aria-labelledby": "denied-title", hidden: true },
      el("h2", { id: "denied-title" }, "No tiene permiso"),
      el("p", {}, "Esta página es solo para supervisores y administradores. Usted inició sesión como ",
        el("strong", { id: "denied-role" }), "."),
      el("button", { type: "button", class: "btn", id: "denied-logout" },
        "Cerrar sesión y entrar con otro usuario")));
}

// Resolves with the signed-in manager once there is one; until then shows the sign-in form
// (or "No tiene permiso" for other roles). `onReady(me)` starts the page.
export async function requireManager(onReady) {
  buildGate();
  document.getElementById("logout")?.addEventListener("click", logout);
  document.getElementById("denied-logout")?.addEventListener("click", logout);
  const form = document.getElementById("signin-form");
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("signin-error");
    error.textContent = "";
    const username = form.username.value.trim();
    const password = form.password.value;
    if (!username || !password) {
      error.textContent = "Escriba su usuario y su contraseña.";
      return;
    }
    try {
      await api("POST", "/api/v1/auth/login", { username, password });
    } catch (e) {
      error.textContent = e.message;
      return;
    }
    form.password.value = "";
    await gate(onReady);
  });
  await gate(onReady);
}

async function gate(onReady) {
  let me;
  try {
    me = await whoAmI();
  } catch (e) {
    show("loading", true);
    document.getElementById("loading").textContent = e.message;
    return;
  }
  show("loading", false);
  if (!me) {
    show("signin", true);
    show("denied", false);
    show("dashboard", false);
    document.getElementById("username")?.focus();
    return;
  }
  show("signin", false);
  document.getElementById("user-name").textContent = me.display_name;
  show("user-box", true);
  if (!MANAGERS.has(me.role)) {
    document.getElementById("denied-role").textContent = ROLE_NAMES[me.role] || me.role;
    show("denied", true);
    show("dashboard", false);
    return;
  }
  show("denied", false);
  show("dashboard", true);
  onReady(me);
}
