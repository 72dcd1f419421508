// Administration — Opening hours per weekday and the closed dates.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { field, formActions, markInvalid, sectionHead } from "./form.js";

export function renderHours(box) {
  const hours = state.config.hours;
  sectionHead(box, "Horario", "Franjas en que el quiosco entrega turnos, por día. Escriba las "
    + "franjas separadas por comas, p. ej. 08:00-11:30, 14:00-17:30. Vacío = cerrado.");
  const inputs = Object.entries(state.labels.weekdays).map(([key, label]) => {
    const input = h("input", { type: "text", id: `hours-${key}`, value: hours[key].join(", "),
      placeholder: "Cerrado", "aria-describedby": `hours-${key}-error` });
    return [key, label, input];
  });
  const dates = h("textarea", { id: "closed-dates", rows: 5 }, hours.closed_dates.join("\n"));
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: "Horario semanal" }),
    h("div", { class: "hours-grid" }, inputs.flatMap(([key, label, input]) => [
      h("label", { for: input.id, text: label }), input,
      h("span", { class: "field-error", id: `hours-${key}-error` })])),
    field("Días sin atención (festivos)", dates,
      { hint: "Una fecha por línea, en formato AAAA-MM-DD (p. ej. 2026-12-25)." }),
    formActions("Guardar horario"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let ok = true;
    const weekly = {};
    for (const [key, , input] of inputs) {
      const parts = input.value.split(",").map((x) => x.trim()).filter(Boolean);
      const bad = parts.find((p) => !/^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/.test(p));
      ok = markInvalid(input, bad ? `«${bad}» no es una franja; use 08:00-11:30.` : "") && ok;
      weekly[key] = parts;
    }
    const closed = dates.value.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
    const badDate = closed.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d));
    ok = markInvalid(dates, badDate ? `«${badDate}» no es una fecha AAAA-MM-DD.` : "") && ok;
    if (!ok) return;
    saveConfig((c) => { c.hours = { ...weekly, closed_dates: closed }; }, "Horario guardado.");
  });
  box.append(form);
}
