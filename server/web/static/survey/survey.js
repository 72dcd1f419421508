// The satisfaction survey, as a self-contained ES module: it renders into any container
// (the ticket status page /t/<id> puts a <section id="survey"> for it; the counter tablet
// /survey uses it too) and loads its own stylesheet.
//
//   import { mountSurvey } from "/static/survey/survey.js";
//   const survey = mountSurvey(document.getElementById("survey"), {
//     ticketId,                 // the ticket's id (opens the status page)
//     key,                      // the survey key (QR code fragment #k=…, or the counter
//                               // tablet's survey-ticket answer): only its holder may answer
//     onDone(result) {},        // after a stored answer (or when it was already answered)
//   });
//   survey.refresh();           // call again when the ticket finishes (state not_ready → open)
//
// Flow: five faces (one tap), then an optional one-tap reason or "Enviar sin motivo".
// The answer is anonymous and one per ticket; the server refuses a second one (409).
import { api } from "../common/api.js";
import { h } from "../common/dom.js";

const STYLESHEET = "/static/survey/survey.css";
const SVG = "http://www.w3.org/2000/svg";
// Mouth curve per rating: control point of a quadratic curve (below = smile).
const MOUTH = { 1: 17, 2: 20, 3: 23.5, 4: 28, 5: 31 };

function ensureStylesheet() {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLESHEET;
  document.head.append(link);
}

/** @param {number} rating 1 … 5 */
function face(rating) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 48 48");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  /** @type {[string, Record<string, string | number>][]} */
  const parts = [
    ["circle", { cx: 24, cy: 24, r: 21, class: "face-bg" }],
    ["circle", { cx: 17, cy: 19, r: 2.8, class: "face-ink" }],
    ["circle", { cx: 31, cy: 19, r: 2.8, class: "face-ink" }],
    ["path", { d: `M14 ${rating <= 2 ? 32 : 29} Q24 ${MOUTH[rating] + 6} 34 ${rating <= 2 ? 32 : 29}`,
      class: "face-mouth" }],
  ];
  for (const [tag, attrs] of parts) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    svg.append(node);
  }
  return svg;
}

/**
 * @param {HTMLElement} container
 * @param {{ ticketId: string, key?: string | null, onDone?: (result: unknown) => void }} options
 */
export function mountSurvey(container, { ticketId, key = null, onDone = () => {} }) {
  ensureStylesheet();
  container.classList.add("survey");
  let info = null;
  let rating = null;
  let busy = false;

  function render(...nodes) {
    container.replaceChildren(...nodes);
    container.hidden = nodes.length === 0;
  }

  function message(title, text, kind = "info") {
    render(h("div", { class: `survey-message ${kind}`, role: "status" },
      h("p", { class: "survey-title" }, title), text ? h("p", {}, text) : null));
  }

  function showError(text) {
    let box = container.querySelector(".survey-error");
    if (!box) {
      box = h("p", { class: "survey-error", role: "alert" });
      container.append(box);
    }
    box.textContent = text;
  }

  async function send(reason) {
    if (busy) return;
    busy = true;
    for (const b of container.querySelectorAll("button")) b.disabled = true;
    try {
      const result = await api("POST", `/api/v1/tickets/${encodeURIComponent(ticketId)}/survey`,
        { rating, reason, key });
      message("¡Gracias por su respuesta!", "Su opinión nos ayuda a atenderle mejor.", "thanks");
      onDone(result);
    } catch (e) {
      if (e.status === 409) {
        message("Gracias", e.message, "thanks");
        onDone(null);
      } else {
        for (const b of container.querySelectorAll("button")) b.disabled = false;
        showError(e.message);
      }
    } finally {
      busy = false;
    }
  }

  function askReason() {
    const good = rating >= 4;
    const label = info.ratings.find((r) => r.value === rating).label;
    const question = good ? "¿Qué le gustó más?" : "¿Qué podemos mejorar?";
    render(
      h("p", { class: "survey-title", id: "survey-q2" }, question),
      h("p", { class: "survey-chosen" }, `Su calificación: ${label}. Elija un motivo (opcional).`),
      h("div", { class: "survey-reasons", role: "group", "aria-labelledby": "survey-q2" },
        ...info.reasons.map((r) => {
          const b = h("button", { type: "button", class: "survey-reason", "data-reason": r.code }, r.label);
          b.addEventListener("click", () => send(r.code));
          return b;
        })),
      (() => {
        const b = h("button", { type: "button", class: "survey-send" }, "Enviar sin motivo");
        b.addEventListener("click", () => send(null));
        return b;
      })(),
    );
    /** @type {HTMLElement | null} */ (container.querySelector(".survey-reason"))?.focus();
  }

  function askRating() {
    render(
      h("p", { class: "survey-title", id: "survey-q1" }, "¿Cómo fue la atención que recibió?"),
      h("p", { class: "survey-sub" }, `Turno ${info.number} · Su respuesta es anónima.`),
      h("div", { class: "survey-faces", role: "group", "aria-labelledby": "survey-q1" },
        ...[...info.ratings].reverse().map((r) => {
          const b = h("button", { type: "button", class: `survey-face r${r.value}`,
            "data-rating": String(r.value), "aria-label": `${r.value} de 5: ${r.label}` },
          face(r.value), h("span", {}, r.label));
          b.addEventListener("click", () => {
            rating = r.value;
            askReason();
          });
          return b;
        })),
    );
  }

  async function refresh() {
    try {
      info = await api("GET", `/api/v1/tickets/${encodeURIComponent(ticketId)}/survey`);
    } catch (e) {
      message("No se pudo cargar la encuesta", e.message, "error");
      return;
    }
    container.dataset.state = info.state;
    if (info.state === "open") askRating();
    else if (info.state === "answered") message("Ya calificó esta atención", "¡Gracias por su opinión!", "thanks");
    else if (info.state === "closed") message("La encuesta de este turno ya cerró", null);
    else render(); // not_ready: nothing to show until the attention ends
  }

  refresh();
  return { refresh, destroy: () => render() };
}
