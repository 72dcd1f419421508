// Administration — Users: who may sign in, with which role; passwords and deactivation.
import { api } from "../common/api.js";
import { h } from "../common/dom.js";
import { failed, fetchOrFail, renderSection, say, state } from "./context.js";
import { field, formActions, loadingCard, markInvalid, sectionHead, table } from "./form.js";

const STAFF_ROLES = ["clerk", "supervisor", "admin"];

/** Staff role → its name ("Funcionario de ventanilla"…), from the labels. */
function roleNames() {
  return Object.fromEntries(STAFF_ROLES.map((r) => [r, state.labels.roles[r] || r]));
}

export async function renderUsers(box) {
  sectionHead(box, "Usuarios", "Quién puede ingresar al panel, a la supervisión y a esta "
    + "administración. Cambiar el rol o la contraseña, o desactivar, cierra sus sesiones abiertas.");
  const list = loadingCard();
  box.append(list, userForm());
  const users = await fetchOrFail("/api/v1/admin/users");
  if (!users) return;
  list.replaceChildren(table(["Usuario", "Nombre", "Rol", "Estado", ""], users.map(userRow)));
}

function userRow(u) {
  // Nobody disables or demotes themselves (the server refuses it too): no lock-out by mistake.
  const self = state.me && u.username.toLowerCase() === state.me.username.toLowerCase();
  const role = h("select", { "aria-label": `Rol de ${u.username}`, disabled: self },
    Object.entries(roleNames()).map(([value, label]) => h("option", { value, text: label,
      selected: u.role === value })));
  role.addEventListener("change", () => patchUser(u, { role: role.value },
    `Rol de ${u.username}: ${roleNames()[role.value]}.`));
  const actions = h("td", { class: "actions-cell" },
    h("button", { type: "button", class: "btn btn-small", text: "Cambiar contraseña",
      "aria-label": `Cambiar contraseña de ${u.username}`, onClick: () => {
        const input = h("input", { type: "password", autocomplete: "new-password",
          "aria-label": `Nueva contraseña de ${u.username}`, minlength: 8 });
        const form = h("form", { class: "inline-form" }, input,
          h("button", { type: "submit", class: "btn btn-small btn-primary", text: "Guardar" }));
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          if (input.value.length < 8) {
            say("La contraseña debe tener al menos 8 caracteres.", "error");
            return;
          }
          patchUser(u, { password: input.value }, `Contraseña de ${u.username} cambiada.`);
        });
        actions.replaceChildren(form);
        input.focus();
      } }),
    h("button", { type: "button", class: "btn btn-small", text: "Desbloquear",
      "aria-label": `Desbloquear el ingreso de ${u.username}`, onClick: async () => {
        try {
          await api("POST", "/api/v1/auth/unlock", { username: u.username });
          say(`${u.username} puede volver a ingresar sin esperas.`);
        } catch (e) {
          failed(e);
        }
      } }),
    self ? null : h("button", { type: "button", class: `btn btn-small ${u.active ? "btn-danger" : ""}`,
      text: u.active ? "Desactivar" : "Activar",
      "aria-label": `${u.active ? "Desactivar" : "Activar"} ${u.username}`,
      onClick: () => patchUser(u, { active: !u.active },
        `${u.username} ${u.active ? "desactivado" : "activado"}.`) }));
  return h("tr", { class: u.active ? "" : "is-off", dataset: { user: u.username } },
    h("td", { class: "code", text: u.username }),
    h("td", { text: u.display_name }),
    h("td", {}, role),
    h("td", {}, h("span", { class: `chip ${u.active ? "chip-ok" : "chip-muted"}`,
      text: u.active ? "Activo" : "Desactivado" })),
    actions);
}

async function patchUser(u, change, okText) {
  try {
    await api("PATCH", `/api/v1/admin/users/${u.id}`, change);
    renderSection();
    say(okText);
  } catch (e) {
    renderSection();
    failed(e);
  }
}

function userForm() {
  const username = h("input", { type: "text", autocomplete: "off", maxlength: 64,
    autocapitalize: "none", spellcheck: "false" });
  const display = h("input", { type: "text", maxlength: 120 });
  const role = h("select", {}, Object.entries(roleNames()).map(([value, label]) =>
    h("option", { value, text: label })));
  const password = h("input", { type: "password", autocomplete: "new-password" });
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: "Crear un usuario" }),
    h("div", { class: "form-grid" },
      field("Usuario nuevo", username, { hint: "Sin espacios, p. ej. mlopez." }),
      field("Nombre completo", display),
      field("Rol", role),
      field("Contraseña inicial", password, { hint: "Mínimo 8 caracteres." })),
    formActions("Crear usuario"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = username.value.trim();
    let ok = markInvalid(username, name && !/\s/.test(name) ? "" : "Escriba un usuario sin espacios.");
    ok = markInvalid(password, password.value.length >= 8 ? ""
      : "La contraseña debe tener al menos 8 caracteres.") && ok;
    if (!ok) return;
    try {
      await api("POST", "/api/v1/admin/users", { username: name, password: password.value,
        role: role.value, display_name: display.value.trim() || null });
      renderSection();
      say(`Usuario ${name} creado (${roleNames()[role.value]}).`);
    } catch (e) {
      failed(e);
    }
  });
  return form;
}
