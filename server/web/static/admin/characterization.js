// Administration — Characterization questions (enfoque diferencial): optional, anonymous,
// fixed options only; the kiosk always adds "Prefiero no responder" and lets people skip.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { check, editRemoveCell, field, formActions, markInvalid, sectionHead, table }
  from "./form.js";

/** "code: label" lines → options; null and the bad line when one does not parse. */
function parseOptions(text) {
  const options = [];
  for (const line of text.split("\n").map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9+_.-]{1,24})\s*:\s*(.+)$/.exec(line);
    if (!m) return { options: null, bad: line };
    options.push({ code: m[1], label: m[2].trim() });
  }
  return { options, bad: "" };
}

export function renderCharacterization(box, editing = null) {
  const c = state.config.characterization;
  sectionHead(box, "Caracterización", "Preguntas opcionales y anónimas que el quiosco hace "
    + "después de elegir el servicio. Solo opciones fijas: nunca pida nombres, documentos ni "
    + "datos de contacto (Ley 1581 de 2012).");
  const [toggleLabel, toggle] = check("Hacer las preguntas en el quiosco", c.enabled);
  toggle.id = "char-enabled";
  toggle.addEventListener("change", () => saveConfig((x) => {
    x.characterization.enabled = toggle.checked;
  }, toggle.checked ? "Preguntas activadas." : "Preguntas desactivadas."));
  box.append(h("div", { class: "card" }, toggleLabel,
    table(["Código", "Pregunta", "Opciones", ""], c.questions.map((q) => h("tr",
      { dataset: { code: q.code } },
      h("td", { class: "code", text: q.code }),
      h("td", { text: q.text }),
      h("td", { text: q.options.map((o) => o.label).join(" · ") }),
      editRemoveCell(`pregunta ${q.text}`,
        () => { box.replaceChildren(); renderCharacterization(box, q.code); },
        `¿Eliminar la pregunta «${q.text}»?`,
        () => saveConfig((x) => {
          x.characterization.questions = x.characterization.questions
            .filter((y) => y.code !== q.code);
        }, "Pregunta eliminada.")))))));
  const question = editing ? c.questions.find((q) => q.code === editing) : null;
  const code = h("input", { type: "text", value: question ? question.code : "", maxlength: 32,
    readonly: question ? true : null, autocomplete: "off" });
  const text = h("input", { type: "text", value: question ? question.text : "", maxlength: 160 });
  const options = h("textarea", { rows: 5 },
    question ? question.options.map((o) => `${o.code}: ${o.label}`).join("\n") : "");
  const form = h("form", { class: "card", novalidate: true },
    h("h3", { text: question ? `Editar «${question.text}»` : "Agregar una pregunta" }),
    h("div", { class: "form-grid" },
      field("Código de pregunta", code, { hint: "Minúsculas, dígitos o _ (p. ej. rango_edad)." }),
      field("Pregunta", text, { hint: "Como la lee el ciudadano." })),
    field("Opciones", options, { wide: true, hint: "Una por renglón: código: texto (p. ej. "
      + "«60+: 60 años o más»). Al menos dos." }),
    formActions(question ? "Guardar pregunta" : "Agregar pregunta",
      question ? () => { box.replaceChildren(); renderCharacterization(box); } : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = code.value.trim();
    let ok = markInvalid(code, /^[a-z][a-z0-9_]{0,31}$/.test(value) ? ""
      : "Use minúsculas, dígitos o _, empezando por una letra.");
    if (ok && !question && c.questions.some((q) => q.code === value)) {
      ok = markInvalid(code, "Ese código ya existe.");
    }
    ok = markInvalid(text, text.value.trim() ? "" : "Escriba la pregunta.") && ok;
    const parsed = parseOptions(options.value);
    const chosen = parsed.options || [];
    ok = markInvalid(options, parsed.bad ? `«${parsed.bad}»: escriba código: texto.`
      : chosen.length < 2 ? "Escriba al menos dos opciones." : "") && ok;
    if (!ok) return;
    const entry = { code: value, text: text.value.trim(), options: chosen };
    saveConfig((x) => {
      const list = x.characterization.questions;
      const at = list.findIndex((q) => q.code === value);
      if (at >= 0) list[at] = entry;
      else list.push(entry);
    }, "Pregunta guardada.");
  });
  box.append(form);
}
