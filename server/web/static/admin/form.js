// Form and table pieces of the administration sections: labelled fields with their error
// line, checkboxes, data tables, section headings.
import { h } from "../common/dom.js";

let fieldCount = 0;
export function field(label, input, { hint = "", wide = false } = {}) {
  fieldCount += 1;
  const id = input.id || `f${fieldCount}`;
  input.id = id;
  const error = h("span", { class: "field-error", id: `${id}-error` });
  input.setAttribute("aria-describedby", `${id}-error${hint ? ` ${id}-hint` : ""}`);
  return h("div", { class: `field${wide ? " wide" : ""}` },
    h("label", { for: id, text: label }), input,
    hint ? h("span", { class: "hint", id: `${id}-hint`, text: hint }) : null, error);
}

export function markInvalid(input, text) {
  input.setAttribute("aria-invalid", text ? "true" : "false");
  const error = document.getElementById(`${input.id}-error`);
  if (error) error.textContent = text || "";
  return !text;
}

/**
 * A checkbox inside its label: [label, input].
 * @param {string} label
 * @param {boolean} checked
 * @param {string} [value]
 * @returns {[HTMLLabelElement, HTMLInputElement]}
 */
export function check(label, checked, value = "") {
  const input = h("input", { type: "checkbox", value, checked });
  return [h("label", { class: "check" }, input, label), input];
}

export function table(headers, rows) {
  return h("table", { class: "data" },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col", text: x })))),
    h("tbody", {}, rows));
}

export function sectionHead(box, title, intro) {
  box.append(h("h2", { text: title }), h("p", { class: "section-intro", text: intro }));
}

/**
 * The buttons under a form: the submit button, and "Cancelar" when editing.
 * @param {string} submitText
 * @param {(() => void) | null} [onCancel]
 */
export function formActions(submitText, onCancel = null) {
  return h("div", { class: "form-actions" },
    h("button", { type: "submit", class: "btn btn-primary", text: submitText }),
    onCancel ? h("button", { type: "button", class: "btn", text: "Cancelar", onClick: onCancel })
      : null);
}

/** A card that says "Cargando…" until its list is drawn into it. */
export function loadingCard() {
  return h("div", { class: "card" }, h("p", { class: "muted", text: "Cargando…" }));
}

/**
 * The "Editar" and "Eliminar" buttons of a table row; removing asks first.
 * @param {string} what  e.g. "pantalla Sala principal" (said by a screen reader)
 * @param {() => void} onEdit
 * @param {string} question  the confirmation, e.g. "¿Eliminar la pantalla «Sala»?"
 * @param {() => void} onRemove
 */
export function editRemoveCell(what, onEdit, question, onRemove) {
  return h("td", { class: "actions-cell" },
    h("button", { type: "button", class: "btn btn-small", text: "Editar",
      "aria-label": `Editar ${what}`, onClick: onEdit }),
    h("button", { type: "button", class: "btn btn-small btn-danger", text: "Eliminar",
      "aria-label": `Eliminar ${what}`, onClick: () => {
        if (window.confirm(question)) onRemove();
      } }));
}
