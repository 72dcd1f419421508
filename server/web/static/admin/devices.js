// Administration — Device tokens for kiosks and boards: created, shown once, revoked.
import { api } from "../common/api.js";
import { h } from "../common/dom.js";
import { failed, fetchOrFail, renderSection, say, state } from "./context.js";
import { field, formActions, loadingCard, markInvalid, sectionHead, table } from "./form.js";

const DEVICE_ROLES = ["kiosk", "display", "survey"];
const DEVICE_OF = { kiosk: "del quiosco", display: "de la pantalla",
  survey: "de la tableta de encuesta" };

/** Device role → its name ("Quiosco", "Pantalla"), from the labels. */
function deviceNames() {
  return Object.fromEntries(DEVICE_ROLES.map((r) => [r, state.labels.roles[r] || r]));
}

/**
 * @param {HTMLElement} box
 * @param {{ token: string, name: string, role: string } | null} [created]  a token just made
 */
export async function renderTokens(box, created = null) {
  sectionHead(box, "Dispositivos", "Cada quiosco y cada pantalla usa su propio token. Si un "
    + "equipo se pierde o se reemplaza, revoque su token.");
  if (created) {
    const value = h("input", { type: "text", readonly: true, value: created.token, id: "new-token",
      "aria-label": `Token de ${created.name}` });
    const copy = h("button", { type: "button", class: "btn", text: "Copiar", onClick: async () => {
      value.select();
      try {
        await navigator.clipboard.writeText(created.token);
        say("Token copiado.");
      } catch (e) {
        document.execCommand("copy");
      }
    } });
    box.append(h("div", { class: "token-box", role: "alert" },
      h("p", { text: `Token ${DEVICE_OF[created.role]} «${created.name}» creado. `
        + "Cópielo ahora: no se volverá a mostrar." }),
      h("div", { class: "token-row" }, value, copy)));
  }
  const list = loadingCard();
  box.append(list, tokenForm(box));
  const tokens = await fetchOrFail("/api/v1/admin/tokens");
  if (!tokens) return;
  list.replaceChildren(tokens.length ? table(["Nombre", "Tipo", "Creado", "Estado", ""],
    tokens.map((t) => h("tr", { class: t.revoked ? "is-off" : "", dataset: { token: t.name } },
      h("td", { class: "code", text: t.name }),
      h("td", { text: deviceNames()[t.role] || t.role }),
      h("td", { text: new Date(t.created_at * 1000).toLocaleDateString("es-CO") }),
      h("td", {}, h("span", { class: `chip ${t.revoked ? "chip-bad" : "chip-ok"}`,
        text: t.revoked ? "Revocado" : "Vigente" })),
      h("td", { class: "actions-cell" }, t.revoked ? null : h("button", { type: "button",
        class: "btn btn-small btn-danger", text: "Revocar", "aria-label": `Revocar ${t.name}`,
        onClick: () => revokeToken(t) })))))
    : h("p", { class: "muted", text: "No hay dispositivos todavía." }));
}

function tokenForm(box) {
  const name = h("input", { type: "text", maxlength: 80, autocomplete: "off" });
  const role = h("select", {}, Object.entries(deviceNames()).map(([value, label]) =>
    h("option", { value, text: label })));
  // A survey tablet serves one counter: bound to it, its token shows that counter's survey
  // only (nobody rates another counter's attentions with it).
  const counter = h("select", {}, state.config.counters.map((c) =>
    h("option", { value: String(c.number), text: c.name })));
  const counterField = field("Ventanilla de la tableta", counter,
    { hint: "La tableta solo mostrará la encuesta de esta ventanilla." });
  const showCounter = () => { counterField.hidden = role.value !== "survey"; };
  role.addEventListener("change", showCounter);
  showCounter();
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: "Crear un token de dispositivo" }),
    h("div", { class: "form-grid" },
      field("Nombre del dispositivo", name, { hint: "P. ej. quiosco-entrada o pantalla-sala." }),
      field("Tipo", role), counterField),
    formActions("Crear token"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!markInvalid(name, name.value.trim() ? "" : "Dé un nombre al dispositivo.")) return;
    const body = { name: name.value.trim(), role: role.value };
    if (role.value === "survey" && counter.value) body.counters = [Number(counter.value)];
    try {
      const created = await api("POST", "/api/v1/admin/tokens", body);
      box.replaceChildren();
      say("");
      renderTokens(box, created);
    } catch (e) {
      failed(e);
    }
  });
  return form;
}

async function revokeToken(t) {
  if (!window.confirm(`¿Revocar el token de «${t.name}»? El equipo dejará de funcionar.`)) return;
  try {
    await api("POST", `/api/v1/admin/tokens/${t.id}/revoke`);
    renderSection();
    say(`Token de «${t.name}» revocado.`);
  } catch (e) {
    failed(e);
  }
}
