// A warning above every section when the QR codes printed on tickets point to this machine
// only (the server was started without --public-url): a citizen's phone could not open them.
import { api } from "../common/api.js";
import { h } from "../common/dom.js";

/** Shows the server's warning, if any, in `box` (left empty otherwise). @param {HTMLElement} box */
export async function showQrWarning(box) {
  try {
    const office = await api("GET", "/api/v1/office");
    box.replaceChildren(...(office.qr_warning
      ? [h("p", { class: "is-warning", text: office.qr_warning })] : []));
  } catch (e) {
    box.replaceChildren(); // the sections report their own errors
  }
}
