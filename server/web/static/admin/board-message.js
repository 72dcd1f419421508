// Administration — The message line of the display boards.
import { h } from "../common/dom.js";
import { saveConfig, state } from "./context.js";
import { field, formActions, sectionHead } from "./form.js";

export function renderBoardMessage(box) {
  sectionHead(box, "Mensaje de pantalla", "El texto que las pantallas de la sala muestran al pie.");
  const text = h("textarea", { id: "board-message", rows: 3, maxlength: 300 },
    state.config.office.board_message);
  const form = h("form", { class: "card", novalidate: true },
    field("Mensaje", text, { hint: "Corto y claro; se lee desde lejos. Vacío = sin mensaje." }),
    formActions("Guardar mensaje"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveConfig((c) => { c.office.board_message = text.value.trim(); }, "Mensaje guardado.");
  });
  box.append(form);
}
