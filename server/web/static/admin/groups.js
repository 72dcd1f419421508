// Administration — Preferential groups offered at the kiosk.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { field, formActions, markInvalid, sectionHead, table } from "./form.js";

export function renderGroups(box, editing = null) {
  const cfg = state.config;
  sectionHead(box, "Grupos preferenciales", "Las personas de estos grupos se atienden antes "
    + "que la fila general. Un grupo deshabilitado no aparece en el quiosco.");
  box.append(h("div", { class: "card" }, table(["Código", "Nombre", "Estado", ""],
    cfg.groups.map((g) => h("tr", { class: g.enabled ? "" : "is-off", dataset: { code: g.code } },
      h("td", { class: "code", text: g.code }),
      h("td", { text: g.name }),
      h("td", {}, h("span", { class: `chip ${g.enabled ? "chip-ok" : "chip-muted"}`,
        text: g.enabled ? "Habilitado" : "Deshabilitado" })),
      h("td", { class: "actions-cell" },
        h("button", { type: "button", class: "btn btn-small",
          text: g.enabled ? "Deshabilitar" : "Habilitar",
          "aria-label": `${g.enabled ? "Deshabilitar" : "Habilitar"} ${g.name}`,
          onClick: () => saveConfig((c) => {
            c.groups.find((x) => x.code === g.code).enabled = !g.enabled;
          }, `«${g.name}» ${g.enabled ? "deshabilitado" : "habilitado"}.`) }),
        h("button", { type: "button", class: "btn btn-small", text: "Renombrar",
          "aria-label": `Renombrar ${g.name}`,
          onClick: () => { box.replaceChildren(); renderGroups(box, g.code); } }),
        h("button", { type: "button", class: "btn btn-small btn-danger", text: "Eliminar",
          "aria-label": `Eliminar ${g.name}`, onClick: () => {
            if (!window.confirm(`¿Eliminar el grupo «${g.name}»?`)) return;
            saveConfig((c) => { c.groups = c.groups.filter((x) => x.code !== g.code); },
              `Grupo «${g.name}» eliminado.`);
          } })))))));
  const group = editing ? cfg.groups.find((g) => g.code === editing) : null;
  const code = h("input", { type: "text", value: group ? group.code : "", maxlength: 12,
    readonly: group ? true : null, autocomplete: "off" });
  const name = h("input", { type: "text", value: group ? group.name : "", maxlength: 80 });
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: group ? `Renombrar «${group.name}»` : "Agregar un grupo" }),
    h("div", { class: "form-grid" },
      field("Código", code, { hint: "Mayúsculas, dígitos o _ (p. ej. AM)." }),
      field("Nombre", name, { hint: "Como lo lee el ciudadano en el quiosco." })),
    formActions(group ? "Guardar nombre" : "Agregar grupo",
      group ? () => { box.replaceChildren(); renderGroups(box); } : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = code.value.trim().toUpperCase();
    let ok = markInvalid(code, /^[A-Z0-9_]{1,12}$/.test(value) ? "" : "Use mayúsculas, dígitos o _ (máximo 12).");
    if (ok && !group && cfg.groups.some((g) => g.code === value)) ok = markInvalid(code, "Ese código ya existe.");
    ok = markInvalid(name, name.value.trim() ? "" : "Escriba el nombre del grupo.") && ok;
    if (!ok) return;
    saveConfig((c) => {
      const found = c.groups.find((g) => g.code === value);
      if (found) found.name = name.value.trim();
      else c.groups.push({ code: value, name: name.value.trim(), enabled: true });
    }, `Grupo «${name.value.trim()}» guardado.`);
  });
  box.append(form);
}
