// Administration — The office itself: name, time zone and the ticket footer. The footer's
// first line (the opening hours) is generated from the Horario section, so the ticket never
// contradicts the hours; here the admin writes only the other lines.
import { api } from "../common/api.js";
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { field, formActions, markInvalid, sectionHead } from "./form.js";

/** The IANA zones the browser knows (offline), the current one first if it is missing. */
function zones(current) {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone")
    : ["America/Bogota"];
  return known.includes(current) ? known : [current, ...known];
}

export function renderOffice(box) {
  const office = state.config.office;
  sectionHead(box, "Oficina", "El nombre que ven el quiosco, la pantalla y el tiquete, la zona "
    + "horaria de la oficina y las líneas del pie del tiquete.");
  const name = h("input", { type: "text", id: "office-name-input", value: office.name,
    maxlength: 120 });
  const tz = h("select", { id: "office-timezone" }, zones(office.timezone).map((z) =>
    h("option", { value: z, text: z, selected: z === office.timezone })));
  const own = office.ticket_footer.filter((x) => !/^\s*horario/i.test(x));
  const footer = h("textarea", { id: "ticket-footer", rows: 3 }, own.join("\n"));
  const hoursLine = h("p", { class: "footer-hours", id: "footer-hours", text: "…" });
  const form = h("form", { class: "card", novalidate: true },
    field("Nombre de la oficina", name, { wide: true }),
    field("Zona horaria", tz, { hint: "En Colombia, America/Bogota. Los días, la numeración "
      + "y el horario la siguen." }),
    h("div", { class: "field wide" },
      h("span", { class: "label", text: "Pie del tiquete" }),
      h("p", { class: "hint", text: "La primera línea sale del horario configurado:" }),
      hoursLine),
    field("Otras líneas del pie", footer, { wide: true, hint: "Una línea por renglón, p. ej. "
      + "«Espere su llamado en pantalla». No escriba aquí el horario." }),
    formActions("Guardar oficina"));
  api("GET", "/api/v1/office").then((facts) => {
    const line = (facts.ticket_footer || []).find((x) => /^horario/i.test(x));
    hoursLine.textContent = line || "Sin horario configurado.";
  }).catch(() => { hoursLine.textContent = ""; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const lines = footer.value.split("\n").map((x) => x.trim()).filter(Boolean);
    const handHours = lines.find((x) => /^horario/i.test(x));
    let ok = markInvalid(name, name.value.trim() ? "" : "Escriba el nombre de la oficina.");
    ok = markInvalid(footer, handHours ? "El horario se escribe solo desde la sección Horario; "
      + "quite esa línea." : "") && ok;
    if (!ok) return;
    saveConfig((c) => {
      c.office.name = name.value.trim();
      c.office.timezone = tz.value;
      c.office.ticket_footer = lines;
    }, "Datos de la oficina guardados.");
  });
  box.append(form);
}
