// Administration — Services: what the citizen picks at the kiosk, and which counters serve it.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { check, field, formActions, markInvalid, sectionHead, table } from "./form.js";

export function renderServices(box, editing = null) {
  const cfg = state.config;
  sectionHead(box, "Servicios", "Lo que el ciudadano elige en el quiosco. Un servicio inactivo "
    + "deja de ofrecerse en el quiosco; los turnos que ya esperan se siguen atendiendo.");
  const servedBy = (code) => cfg.counters.filter((c) => c.services.includes(code));
  box.append(h("div", { class: "card" }, table(
    ["Código", "Nombre", "Descripción", "Espera objetivo", "Ventanillas", "Estado", ""],
    cfg.services.map((s) => h("tr", { class: s.active ? "" : "is-off", dataset: { code: s.code } },
      h("td", { class: "code", text: s.code }),
      h("td", { text: s.name }),
      h("td", { text: s.description }),
      h("td", { text: `${s.target_wait_min} min` }),
      h("td", { text: servedBy(s.code).map((c) => c.number).join(", ") || "—" }),
      h("td", {}, h("span", { class: `chip ${s.active ? "chip-ok" : "chip-muted"}`,
        text: s.active ? "Activo" : "Inactivo" })),
      h("td", { class: "actions-cell" },
        h("button", { type: "button", class: "btn btn-small", text: "Editar",
          "aria-label": `Editar servicio ${s.name}`,
          onClick: () => { box.replaceChildren(); renderServices(box, s.code); } }),
        h("button", { type: "button", class: "btn btn-small btn-danger", text: "Eliminar",
          "aria-label": `Eliminar servicio ${s.name}`, onClick: () => removeService(s) })))))));
  box.append(serviceForm(editing ? cfg.services.find((s) => s.code === editing) : null, box));
}

function serviceForm(service, box) {
  const cfg = state.config;
  const s = service || { code: "", name: "", description: "", target_wait_min: 15,
    default_service_min: 5, active: true };
  const code = h("input", { type: "text", value: s.code, maxlength: 1, required: true,
    autocomplete: "off", readonly: service ? true : null });
  const name = h("input", { type: "text", value: s.name, required: true, maxlength: 80 });
  const description = h("input", { type: "text", value: s.description, maxlength: 160 });
  const target = h("input", { type: "number", value: s.target_wait_min, min: 1, step: 1 });
  const typical = h("input", { type: "number", value: s.default_service_min, min: 1, step: 1 });
  const [activeLabel, active] = check("Activo (se ofrece en el quiosco)", s.active);
  const counterChecks = cfg.counters.map((c) => check(c.name, service
    ? c.services.includes(s.code) : false, String(c.number)));
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: service ? `Editar servicio «${s.name}»` : "Agregar un servicio" }),
    h("div", { class: "form-grid" },
      field("Código (una letra)", code, { hint: "A a Z; es la letra del turno (A-001)." }),
      field("Nombre", name),
      field("Espera objetivo (minutos)", target),
      field("Duración típica de una atención (minutos)", typical),
      field("Descripción", description, { wide: true })),
    h("fieldset", { class: "checks" }, h("legend", { text: "Ventanillas que lo atienden" }),
      counterChecks.map(([label]) => label)),
    h("div", { class: "checks" }, activeLabel),
    formActions(service ? "Guardar cambios" : "Agregar servicio",
      service ? () => { box.replaceChildren(); renderServices(box); } : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = code.value.trim().toUpperCase();
    let ok = markInvalid(code, /^[A-Z]$/.test(value) ? "" : "Escriba una sola letra de la A a la Z.");
    if (ok && !service && cfg.services.some((x) => x.code === value)) {
      ok = markInvalid(code, `Ya existe un servicio con la letra ${value}.`);
    }
    ok = markInvalid(name, name.value.trim() ? "" : "Escriba el nombre del servicio.") && ok;
    ok = markInvalid(target, Number(target.value) >= 1 ? "" : "Debe ser 1 minuto o más.") && ok;
    ok = markInvalid(typical, Number(typical.value) >= 1 ? "" : "Debe ser 1 minuto o más.") && ok;
    if (!ok) return;
    const counters = new Set(counterChecks.filter(([, i]) => i.checked).map(([, i]) => Number(i.value)));
    const item = { code: value, name: name.value.trim(), description: description.value.trim(),
      target_wait_min: Math.round(Number(target.value)), default_service_min: Number(typical.value),
      active: active.checked };
    saveConfig((c) => {
      const at = c.services.findIndex((x) => x.code === value);
      if (at >= 0) c.services[at] = item;
      else c.services.push(item);
      for (const counter of c.counters) {
        const has = counter.services.includes(value);
        if (counters.has(counter.number) && !has) counter.services.push(value);
        if (!counters.has(counter.number) && has) {
          counter.services = counter.services.filter((x) => x !== value);
        }
      }
    }, service ? `Servicio «${item.name}» guardado.` : `Servicio «${item.name}» agregado.`);
  });
  return form;
}

function removeService(s) {
  if (!window.confirm(`¿Eliminar el servicio «${s.name}»?`)) return;
  saveConfig((c) => {
    c.services = c.services.filter((x) => x.code !== s.code);
    for (const counter of c.counters) counter.services = counter.services.filter((x) => x !== s.code);
    for (const board of c.boards) board.services = board.services.filter((x) => x !== s.code);
  }, `Servicio «${s.name}» eliminado.`);
}
