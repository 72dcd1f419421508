// Administration — The priority policy between preferential and general tickets.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { field, formActions, markInvalid, sectionHead } from "./form.js";

export function renderPriority(box) {
  const p = state.config.priority;
  sectionHead(box, "Prioridad", "Cómo elige cada ventanilla el siguiente turno cuando hay "
    + "personas de atención preferencial esperando.");
  const strict = h("input", { type: "radio", name: "mode", value: "strict", checked: p.mode === "strict" });
  const ratio = h("input", { type: "radio", name: "mode", value: "ratio", checked: p.mode === "ratio" });
  const inRow = h("input", { type: "number", id: "preferential-in-row", min: 1, step: 1,
    value: p.preferential_in_row });
  const cap = h("input", { type: "number", id: "max-wait", min: 0, step: 1, value: p.max_wait_min });
  // The grace before "No se presentó" (docs/priority-policy.md).
  const calls = h("input", { type: "number", id: "no-show-calls", min: 1, max: 10, step: 1,
    value: p.min_calls_before_no_show ?? 1 });
  const after = h("input", { type: "number", id: "no-show-after", min: 0, max: 1800, step: 1,
    value: p.no_show_after_s ?? 0 });
  const form = h("form", { class: "card", novalidate: true },
    h("fieldset", { class: "checks" }, h("legend", { text: "Modo" }),
      h("label", { class: "check" }, strict,
        "Estricto: todo turno preferencial pasa antes que la fila general"),
      h("label", { class: "check" }, ratio,
        "Proporción: como máximo N preferenciales seguidos mientras espera un turno general")),
    h("div", { class: "form-grid" },
      field("Preferenciales seguidos (N, modo proporción)", inRow),
      field("Espera máxima (minutos)", cap, { hint: "Quien espere más pasa primero. 0 = sin tope." }),
      field("Llamados antes de «No se presentó»", calls, { hint: "De 1 a 10. 1 = basta un llamado." }),
      field("Segundos desde el primer llamado antes de «No se presentó»", after,
        { hint: "De 0 a 1800. 0 = sin espera; el panel muestra la cuenta regresiva." })),
    formActions("Guardar prioridad"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const n = Number(inRow.value);
    const m = Number(cap.value);
    let ok = markInvalid(inRow, Number.isInteger(n) && n >= 1 ? "" : "Debe ser un número entero de 1 o más.");
    ok = markInvalid(cap, Number.isInteger(m) && m >= 0 ? "" : "Debe ser 0 o un número entero positivo.") && ok;
    const k = Number(calls.value);
    const s = Number(after.value);
    ok = markInvalid(calls, Number.isInteger(k) && k >= 1 && k <= 10 ? "" : "Debe ser un número entero de 1 a 10.") && ok;
    ok = markInvalid(after, Number.isInteger(s) && s >= 0 && s <= 1800 ? "" : "Debe ser un número entero de 0 a 1800.") && ok;
    if (!ok) return;
    saveConfig((c) => {
      c.priority = { ...c.priority, mode: ratio.checked ? "ratio" : "strict",
        preferential_in_row: n, max_wait_min: m, min_calls_before_no_show: k, no_show_after_s: s };
    }, "Prioridad guardada.");
  });
  box.append(form);
}
