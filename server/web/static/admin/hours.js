// Administration — Opening hours per weekday, Colombia's public holidays and the office's own
// closed dates. The hours also write the first line of the ticket footer.
import { h } from "../common/dom.js";
import { fetchOrFail, saveConfig, state } from "./context.js";
import { check, field, formActions, markInvalid, sectionHead } from "./form.js";

/** The national holidays of this year and the next, as a list (filled when they arrive). */
function holidayList() {
  const list = h("ul", { class: "holiday-list", id: "national-holidays",
    "aria-label": "Festivos nacionales" }, h("li", { class: "muted", text: "Cargando…" }));
  const year = new Date().getFullYear();
  fetchOrFail("/api/v1/admin/holidays").then((all) => {
    if (!all) return;
    const shown = all.filter((d) => Number(d.date.slice(0, 4)) <= year + 1
      && Number(d.date.slice(0, 4)) >= year);
    list.replaceChildren(...shown.map((d) => h("li", {},
      h("span", { class: "code", text: d.date }), ` ${d.name}`)));
  });
  return list;
}

export function renderHours(box) {
  const hours = state.config.hours;
  sectionHead(box, "Horario", "Franjas en que el quiosco entrega turnos, por día. Escriba las "
    + "franjas separadas por comas, p. ej. 08:00-11:30, 14:00-17:30. Vacío = cerrado. El "
    + "tiquete imprime este horario.");
  const inputs = Object.entries(state.labels.weekdays).map(([key, label]) => {
    const input = h("input", { type: "text", id: `hours-${key}`, value: hours[key].join(", "),
      placeholder: "Cerrado", "aria-describedby": `hours-${key}-error` });
    return [key, label, input];
  });
  const [nationalLabel, national] = check("Cerrar en los festivos nacionales de Colombia",
    hours.national_holidays !== false);
  national.id = "national-holidays-on";
  const dates = h("textarea", { id: "closed-dates", rows: 5 }, hours.closed_dates.join("\n"));
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: "Horario semanal" }),
    h("div", { class: "hours-grid" }, inputs.flatMap(([key, label, input]) => [
      h("label", { for: input.id, text: label }), input,
      h("span", { class: "field-error", id: `hours-${key}-error` })])),
    h("h3", { text: "Festivos" }),
    nationalLabel,
    h("details", { class: "holidays" }, h("summary", { text: "Ver los festivos nacionales" }),
      holidayList()),
    field("Días sin atención de la oficina", dates,
      { hint: "Cierres propios (p. ej. el festivo del municipio): una fecha por línea, "
        + "AAAA-MM-DD (p. ej. 2026-12-24)." }),
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
    saveConfig((c) => {
      c.hours = { ...weekly, closed_dates: closed, national_holidays: national.checked };
    }, "Horario guardado.");
  });
  box.append(form);
}
