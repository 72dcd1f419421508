// Administration — Display boards: each board shows the calls of some services or counters
// (none chosen = all), and is opened with /display?board=<code>.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { check, editRemoveCell, field, formActions, markInvalid, sectionHead, table }
  from "./form.js";

function services(codes) {
  if (!codes.length) return "Todos";
  return codes.map((c) => (state.config.services.find((s) => s.code === c) || { name: c }).name)
    .join(", ");
}

export function renderBoards(box, editing = null) {
  const cfg = state.config;
  sectionHead(box, "Pantallas", "Cada pantalla de la sala muestra los llamados de los servicios "
    + "o ventanillas elegidos (ninguno elegido = todos). Se abre con /display?board=código.");
  box.append(h("div", { class: "card" }, table(["Código", "Nombre", "Servicios", "Ventanillas", ""],
    cfg.boards.map((b) => h("tr", { dataset: { code: b.code } },
      h("td", { class: "code", text: b.code }),
      h("td", { text: b.name }),
      h("td", { text: services(b.services) }),
      h("td", { text: b.counters.length ? b.counters.join(", ") : "Todas" }),
      editRemoveCell(`pantalla ${b.name}`,
        () => { box.replaceChildren(); renderBoards(box, b.code); },
        `¿Eliminar la pantalla «${b.name}»?`,
        () => saveConfig((c) => { c.boards = c.boards.filter((x) => x.code !== b.code); },
          `Pantalla «${b.name}» eliminada.`)))))));
  const board = editing ? cfg.boards.find((b) => b.code === editing) : null;
  const code = h("input", { type: "text", value: board ? board.code : "", maxlength: 32,
    readonly: board ? true : null, autocomplete: "off" });
  const name = h("input", { type: "text", value: board ? board.name : "", maxlength: 80 });
  const svc = cfg.services.map((s) => check(`${s.code} · ${s.name}`,
    Boolean(board && board.services.includes(s.code)), s.code));
  const ctr = cfg.counters.map((c) => check(c.name,
    Boolean(board && board.counters.includes(c.number)), String(c.number)));
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: board ? `Editar pantalla «${board.name}»` : "Agregar una pantalla" }),
    h("div", { class: "form-grid" },
      field("Código de pantalla", code, { hint: "Minúsculas, dígitos o - (p. ej. sala-2)." }),
      field("Nombre de pantalla", name)),
    h("fieldset", { class: "checks" }, h("legend", { text: "Servicios que muestra" }),
      svc.map(([label]) => label)),
    h("fieldset", { class: "checks" }, h("legend", { text: "Ventanillas que muestra" }),
      ctr.map(([label]) => label)),
    formActions(board ? "Guardar pantalla" : "Agregar pantalla",
      board ? () => { box.replaceChildren(); renderBoards(box); } : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = code.value.trim().toLowerCase();
    let ok = markInvalid(code, /^[a-z0-9-]{1,32}$/.test(value) ? ""
      : "Use minúsculas, dígitos o - (máximo 32).");
    if (ok && !board && cfg.boards.some((b) => b.code === value)) {
      ok = markInvalid(code, "Ese código ya existe.");
    }
    ok = markInvalid(name, name.value.trim() ? "" : "Escriba el nombre de la pantalla.") && ok;
    if (!ok) return;
    const entry = { code: value, name: name.value.trim(),
      services: svc.filter(([, i]) => i.checked).map(([, i]) => i.value),
      counters: ctr.filter(([, i]) => i.checked).map(([, i]) => Number(i.value)) };
    saveConfig((c) => {
      const at = c.boards.findIndex((b) => b.code === value);
      if (at >= 0) c.boards[at] = entry;
      else c.boards.push(entry);
    }, `Pantalla «${entry.name}» guardada.`);
  });
  box.append(form);
}
