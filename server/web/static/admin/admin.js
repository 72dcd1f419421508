// Administration: services, counters, preferential groups, opening hours, priority policy,
// board message, users and device tokens.
//
// Configuration edits read the current configuration, change one part and send the whole of
// it back (PUT /api/v1/admin/config): the server validates it exactly like the TOML file and
// applies it at once. Its messages are shown as they come, in plain Spanish.
import { api, ApiError } from "../common/live.js";
import { $, h, show } from "../staff/dom.js";
import { signIn, signOut, whoAmI } from "../staff/signin.js";

const SECTIONS = [
  ["servicios", "Servicios", renderServices],
  ["ventanillas", "Ventanillas", renderCounters],
  ["grupos", "Grupos preferenciales", renderGroups],
  ["horario", "Horario", renderHours],
  ["prioridad", "Prioridad", renderPriority],
  ["pantalla", "Mensaje de pantalla", renderBoardMessage],
  ["usuarios", "Usuarios", renderUsers],
  ["dispositivos", "Dispositivos", renderTokens],
];
const DAYS = [["monday", "Lunes"], ["tuesday", "Martes"], ["wednesday", "Miércoles"],
  ["thursday", "Jueves"], ["friday", "Viernes"], ["saturday", "Sábado"], ["sunday", "Domingo"]];
const ROLES = { clerk: "Funcionario de ventanilla", supervisor: "Supervisor", admin: "Administrador" };
const DEVICE_ROLES = { kiosk: "Quiosco", display: "Pantalla" };
const DEVICE_OF = { kiosk: "del quiosco", display: "de la pantalla" };

const state = { me: null, config: null, section: "servicios" };

// --------------------------------------------------------------------------- start

async function main() {
  let me = null;
  try {
    me = await whoAmI();
  } catch (e) {
    me = null;
  }
  if (!me) me = await askSignIn();
  enter(me);
}

async function askSignIn(notice = "") {
  show($("#admin"), false);
  show($("#denied"), false);
  const box = $("#signin");
  show(box, true);
  const me = await signIn(box, { title: "Administración",
    subtitle: "Ingrese con un usuario administrador.", notice,
    clerkRefused: "No tiene permiso: esta página es solo para administradores. "
      + "Para atender, ingrese en el panel de ventanilla (/panel)." });
  box.replaceChildren();
  show(box, false);
  return me;
}

async function enter(me) {
  state.me = me;
  if (me.role !== "admin") {
    show($("#denied"), true);
    return;
  }
  show($("#admin"), true);
  $("#admin-user").textContent = me.display_name || me.username;
  try {
    state.config = await api("GET", "/api/v1/admin/config");
  } catch (e) {
    failed(e);
    return;
  }
  $("#office-name").textContent = state.config.office.name;
  const wanted = location.hash.slice(1);
  state.section = SECTIONS.some(([id]) => id === wanted) ? wanted : "servicios";
  renderNav();
  renderSection();
}

function renderNav() {
  $("#nav").replaceChildren(...SECTIONS.map(([id, label]) => h("li", {},
    h("a", { href: `#${id}`, "aria-current": id === state.section ? "page" : null, text: label,
      onClick: (event) => {
        event.preventDefault();
        history.replaceState(null, "", `#${id}`);
        state.section = id;
        say("");
        renderNav();
        renderSection();
      } }))));
}

function renderSection() {
  const [, , render] = SECTIONS.find(([id]) => id === state.section);
  const box = $("#section");
  box.replaceChildren();
  render(box);
}

// --------------------------------------------------------------------------- helpers

function say(text, kind = "ok") {
  const box = $("#message");
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.replaceChildren(text ? h("p", { class: `is-${kind}`, text }) : "");
}

function failed(e) {
  if (e instanceof ApiError && e.status === 401) {
    askSignIn("Su sesión terminó. Ingrese de nuevo.").then(enter);
    return;
  }
  say(e.message || "Algo salió mal. Intente de nuevo.", "error");
  $("#message").scrollIntoView({ block: "nearest" });
}

// Read the current configuration, change one part, save the whole: the server validates.
async function saveConfig(change, okText) {
  try {
    const fresh = await api("GET", "/api/v1/admin/config");
    change(fresh);
    state.config = await api("PUT", "/api/v1/admin/config", fresh);
    $("#office-name").textContent = state.config.office.name;
    renderSection();
    say(okText);
    return true;
  } catch (e) {
    failed(e);
    return false;
  }
}

let fieldCount = 0;
function field(label, input, { hint = "", wide = false } = {}) {
  fieldCount += 1;
  const id = input.id || `f${fieldCount}`;
  input.id = id;
  const error = h("span", { class: "field-error", id: `${id}-error` });
  input.setAttribute("aria-describedby", `${id}-error${hint ? ` ${id}-hint` : ""}`);
  return h("div", { class: `field${wide ? " wide" : ""}` },
    h("label", { for: id, text: label }), input,
    hint ? h("span", { class: "hint", id: `${id}-hint`, text: hint }) : null, error);
}

function markInvalid(input, text) {
  input.setAttribute("aria-invalid", text ? "true" : "false");
  const error = document.getElementById(`${input.id}-error`);
  if (error) error.textContent = text || "";
  return !text;
}

function check(label, checked, value = "") {
  const input = h("input", { type: "checkbox", value, checked });
  return [h("label", { class: "check" }, input, label), input];
}

function table(headers, rows) {
  return h("table", { class: "data" },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col", text: x })))),
    h("tbody", {}, rows));
}

function sectionHead(box, title, intro) {
  box.append(h("h2", { text: title }), h("p", { class: "section-intro", text: intro }));
}

// --------------------------------------------------------------------------- services

function renderServices(box, editing = null) {
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
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "btn btn-primary",
        text: service ? "Guardar cambios" : "Agregar servicio" }),
      service ? h("button", { type: "button", class: "btn", text: "Cancelar",
        onClick: () => { box.replaceChildren(); renderServices(box); } }) : null));
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

// --------------------------------------------------------------------------- counters

function renderCounters(box, editing = null) {
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
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "btn btn-primary",
        text: counter ? "Guardar cambios" : "Agregar ventanilla" }),
      counter ? h("button", { type: "button", class: "btn", text: "Cancelar",
        onClick: () => { box.replaceChildren(); renderCounters(box); } }) : null));
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

// --------------------------------------------------------------------------- groups

function renderGroups(box, editing = null) {
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
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "btn btn-primary",
        text: group ? "Guardar nombre" : "Agregar grupo" }),
      group ? h("button", { type: "button", class: "btn", text: "Cancelar",
        onClick: () => { box.replaceChildren(); renderGroups(box); } }) : null));
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

// --------------------------------------------------------------------------- hours

function renderHours(box) {
  const hours = state.config.hours;
  sectionHead(box, "Horario", "Franjas en que el quiosco entrega turnos, por día. Escriba las "
    + "franjas separadas por comas, p. ej. 08:00-11:30, 14:00-17:30. Vacío = cerrado.");
  const inputs = DAYS.map(([key, label]) => {
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
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary",
      text: "Guardar horario" })));
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

// --------------------------------------------------------------------------- priority

function renderPriority(box) {
  const p = state.config.priority;
  sectionHead(box, "Prioridad", "Cómo elige cada ventanilla el siguiente turno cuando hay "
    + "personas de atención preferencial esperando.");
  const strict = h("input", { type: "radio", name: "mode", value: "strict", checked: p.mode === "strict" });
  const ratio = h("input", { type: "radio", name: "mode", value: "ratio", checked: p.mode === "ratio" });
  const inRow = h("input", { type: "number", id: "preferential-in-row", min: 1, step: 1,
    value: p.preferential_in_row });
  const cap = h("input", { type: "number", id: "max-wait", min: 0, step: 1, value: p.max_wait_min });
  const form = h("form", { class: "card", novalidate: true },
    h("fieldset", { class: "checks" }, h("legend", { text: "Modo" }),
      h("label", { class: "check" }, strict,
        "Estricto: todo turno preferencial pasa antes que la fila general"),
      h("label", { class: "check" }, ratio,
        "Proporción: como máximo N preferenciales seguidos mientras espera un turno general")),
    h("div", { class: "form-grid" },
      field("Preferenciales seguidos (N, modo proporción)", inRow),
      field("Espera máxima (minutos)", cap, { hint: "Quien espere más pasa primero. 0 = sin tope." })),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary",
      text: "Guardar prioridad" })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const n = Number(inRow.value);
    const m = Number(cap.value);
    let ok = markInvalid(inRow, Number.isInteger(n) && n >= 1 ? "" : "Debe ser un número entero de 1 o más.");
    ok = markInvalid(cap, Number.isInteger(m) && m >= 0 ? "" : "Debe ser 0 o un número entero positivo.") && ok;
    if (!ok) return;
    saveConfig((c) => {
      c.priority = { mode: ratio.checked ? "ratio" : "strict", preferential_in_row: n, max_wait_min: m };
    }, "Prioridad guardada.");
  });
  box.append(form);
}

// --------------------------------------------------------------------------- board message

function renderBoardMessage(box) {
  sectionHead(box, "Mensaje de pantalla", "El texto que las pantallas de la sala muestran al pie.");
  const text = h("textarea", { id: "board-message", rows: 3, maxlength: 300 },
    state.config.office.board_message);
  const form = h("form", { class: "card", novalidate: true },
    field("Mensaje", text, { hint: "Corto y claro; se lee desde lejos. Vacío = sin mensaje." }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary",
      text: "Guardar mensaje" })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveConfig((c) => { c.office.board_message = text.value.trim(); }, "Mensaje guardado.");
  });
  box.append(form);
}

// --------------------------------------------------------------------------- users

async function renderUsers(box) {
  sectionHead(box, "Usuarios", "Quién puede ingresar al panel, a la supervisión y a esta "
    + "administración. Cambiar el rol o la contraseña, o desactivar, cierra sus sesiones abiertas.");
  const list = h("div", { class: "card" }, h("p", { class: "muted", text: "Cargando…" }));
  box.append(list, userForm());
  let users;
  try {
    users = await api("GET", "/api/v1/admin/users");
  } catch (e) {
    failed(e);
    return;
  }
  list.replaceChildren(table(["Usuario", "Nombre", "Rol", "Estado", ""], users.map(userRow)));
}

function userRow(u) {
  // Nobody disables or demotes themselves (the server refuses it too): no lock-out by mistake.
  const self = state.me && u.username.toLowerCase() === state.me.username.toLowerCase();
  const role = h("select", { "aria-label": `Rol de ${u.username}`, disabled: self },
    Object.entries(ROLES).map(([value, label]) => h("option", { value, text: label,
      selected: u.role === value })));
  role.addEventListener("change", () => patchUser(u, { role: role.value },
    `Rol de ${u.username}: ${ROLES[role.value]}.`));
  const actions = h("td", { class: "actions-cell" },
    h("button", { type: "button", class: "btn btn-small", text: "Cambiar contraseña",
      "aria-label": `Cambiar contraseña de ${u.username}`, onClick: () => {
        const input = h("input", { type: "password", autocomplete: "new-password",
          "aria-label": `Nueva contraseña de ${u.username}`, minlength: 8 });
        const form = h("form", { class: "inline-form" }, input,
          h("button", { type: "submit", class: "btn btn-small btn-primary", text: "Guardar" }));
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          if (input.value.length < 8) {
            say("La contraseña debe tener al menos 8 caracteres.", "error");
            return;
          }
          patchUser(u, { password: input.value }, `Contraseña de ${u.username} cambiada.`);
        });
        actions.replaceChildren(form);
        input.focus();
      } }),
    h("button", { type: "button", class: "btn btn-small", text: "Desbloquear",
      "aria-label": `Desbloquear el ingreso de ${u.username}`, onClick: async () => {
        try {
          await api("POST", "/api/v1/auth/unlock", { username: u.username });
          say(`${u.username} puede volver a ingresar sin esperas.`);
        } catch (e) {
          failed(e);
        }
      } }),
    self ? null : h("button", { type: "button", class: `btn btn-small ${u.active ? "btn-danger" : ""}`,
      text: u.active ? "Desactivar" : "Activar",
      "aria-label": `${u.active ? "Desactivar" : "Activar"} ${u.username}`,
      onClick: () => patchUser(u, { active: !u.active },
        `${u.username} ${u.active ? "desactivado" : "activado"}.`) }));
  return h("tr", { class: u.active ? "" : "is-off", dataset: { user: u.username } },
    h("td", { class: "code", text: u.username }),
    h("td", { text: u.display_name }),
    h("td", {}, role),
    h("td", {}, h("span", { class: `chip ${u.active ? "chip-ok" : "chip-muted"}`,
      text: u.active ? "Activo" : "Desactivado" })),
    actions);
}

async function patchUser(u, change, okText) {
  try {
    await api("PATCH", `/api/v1/admin/users/${u.id}`, change);
    renderSection();
    say(okText);
  } catch (e) {
    renderSection();
    failed(e);
  }
}

function userForm() {
  const username = h("input", { type: "text", autocomplete: "off", maxlength: 64,
    autocapitalize: "none", spellcheck: "false" });
  const display = h("input", { type: "text", maxlength: 120 });
  const role = h("select", {}, Object.entries(ROLES).map(([value, label]) =>
    h("option", { value, text: label })));
  const password = h("input", { type: "password", autocomplete: "new-password" });
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: "Crear un usuario" }),
    h("div", { class: "form-grid" },
      field("Usuario nuevo", username, { hint: "Sin espacios, p. ej. mlopez." }),
      field("Nombre completo", display),
      field("Rol", role),
      field("Contraseña inicial", password, { hint: "Mínimo 8 caracteres." })),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary",
      text: "Crear usuario" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = username.value.trim();
    let ok = markInvalid(username, name && !/\s/.test(name) ? "" : "Escriba un usuario sin espacios.");
    ok = markInvalid(password, password.value.length >= 8 ? ""
      : "La contraseña debe tener al menos 8 caracteres.") && ok;
    if (!ok) return;
    try {
      await api("POST", "/api/v1/admin/users", { username: name, password: password.value,
        role: role.value, display_name: display.value.trim() || null });
      renderSection();
      say(`Usuario ${name} creado (${ROLES[role.value]}).`);
    } catch (e) {
      failed(e);
    }
  });
  return form;
}

// --------------------------------------------------------------------------- device tokens

async function renderTokens(box, created = null) {
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
  const list = h("div", { class: "card" }, h("p", { class: "muted", text: "Cargando…" }));
  box.append(list, tokenForm(box));
  let tokens;
  try {
    tokens = await api("GET", "/api/v1/admin/tokens");
  } catch (e) {
    failed(e);
    return;
  }
  list.replaceChildren(tokens.length ? table(["Nombre", "Tipo", "Creado", "Estado", ""],
    tokens.map((t) => h("tr", { class: t.revoked ? "is-off" : "", dataset: { token: t.name } },
      h("td", { class: "code", text: t.name }),
      h("td", { text: DEVICE_ROLES[t.role] || t.role }),
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
  const role = h("select", {}, Object.entries(DEVICE_ROLES).map(([value, label]) =>
    h("option", { value, text: label })));
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: "Crear un token de dispositivo" }),
    h("div", { class: "form-grid" },
      field("Nombre del dispositivo", name, { hint: "P. ej. quiosco-entrada o pantalla-sala." }),
      field("Tipo", role)),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary",
      text: "Crear token" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!markInvalid(name, name.value.trim() ? "" : "Dé un nombre al dispositivo.")) return;
    try {
      const created = await api("POST", "/api/v1/admin/tokens",
        { name: name.value.trim(), role: role.value });
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

// --------------------------------------------------------------------------- wiring

$("#btn-logout").addEventListener("click", async () => {
  await signOut();
  enter(await askSignIn());
});
$("#denied-signout").addEventListener("click", async () => {
  await signOut();
  enter(await askSignIn());
});

main();
