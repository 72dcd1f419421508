// Administration — Counters (ventanillas) and the services each one serves.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { check, field, formActions, markInvalid, sectionHead, table } from "./form.js";

export function renderCounters(box, editing = null) {
  const cfg = state.config;
  sectionHead(box, "Ventanillas", "Cada ventanilla atiende uno o varios servicios; el funcionario "
    + "la elige al ingresar al panel.");
  const name = (code) => (cfg.services.find((s) => s.code === code) || {}).name || code;
  box.append(h("div", { class: "card" }, table(["Número", "Nombre", "Servicios", ""],
    cfg.counters.map((c) => h("tr", { dataset: { number: c.number } },
      h("td", { class: "code", text: c.number }),
      h("td", { text: c.name }),
      h("td", { text: c.services.map((x) => `${x} · ${name(x)}`).join(", ") }),
      h("td", { class: "actions-cell" },
        h("button", { type: "button", class: "btn btn-small", text: "Editar",
          "aria-label": `Editar ${c.name}`,
          onClick: () => { box.replaceChildren(); renderCounters(box, c.number); } }),
        h("button", { type: "button", class: "btn btn-small btn-danger", text: "Eliminar",
          "aria-label": `Eliminar ${c.name}`, onClick: () => removeCounter(c) })))))));
  box.append(counterForm(editing !== null ? cfg.counters.find((c) => c.number === editing) : null, box));
}

function counterForm(counter, box) {
  const cfg = state.config;
  const next = Math.max(0, ...cfg.counters.map((c) => c.number)) + 1;
  const c = counter || { number: next, name: `Ventanilla ${next}`, services: [] };
  const number = h("input", { type: "number", value: c.number, min: 1, step: 1,
    readonly: counter ? true : null });
  const name = h("input", { type: "text", value: c.name, maxlength: 60 });
  const checks = cfg.services.map((s) => check(`${s.code} · ${s.name}`, c.services.includes(s.code), s.code));
  const error = h("p", { class: "field-error" });
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: counter ? `Editar ${c.name}` : "Agregar una ventanilla" }),
    h("div", { class: "form-grid" }, field("Número", number), field("Nombre", name)),
    h("fieldset", { class: "checks" }, h("legend", { text: "Servicios que atiende" }),
      checks.map(([label]) => label)),
    error,
    formActions(counter ? "Guardar cambios" : "Agregar ventanilla",
      counter ? () => { box.replaceChildren(); renderCounters(box); } : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const n = Number(number.value);
    let ok = markInvalid(number, Number.isInteger(n) && n >= 1 ? "" : "Escriba un número entero mayor que 0.");
    if (ok && !counter && cfg.counters.some((x) => x.number === n)) {
      ok = markInvalid(number, `La ventanilla ${n} ya existe.`);
    }
    ok = markInvalid(name, name.value.trim() ? "" : "Escriba el nombre.") && ok;
    const services = checks.filter(([, i]) => i.checked).map(([, i]) => i.value);
    error.textContent = services.length ? "" : "Elija al menos un servicio.";
    if (!ok || !services.length) return;
    const item = { number: n, name: name.value.trim(), services };
    saveConfig((cf) => {
      const at = cf.counters.findIndex((x) => x.number === n);
      if (at >= 0) cf.counters[at] = item;
      else cf.counters.push(item);
      cf.counters.sort((a, b) => a.number - b.number);
    }, `«${item.name}» guardada.`);
  });
  return form;
}

function removeCounter(c) {
  if (!window.confirm(`¿Eliminar «${c.name}»?`)) return;
  saveConfig((cf) => {
    cf.counters = cf.counters.filter((x) => x.number !== c.number);
    for (const board of cf.boards) board.counters = board.counters.filter((x) => x !== c.number);
  }, `«${c.name}» eliminada.`);
}
