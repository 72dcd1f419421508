// A KPI card of the supervisor pages: big value, label, optional note.
import { h } from "../common/dom.js";

/**
 * @param {string} label
 * @param {string} value
 * @param {string | null} [note]
 * @param {string | null} [tone]  "warn" for a figure over its target
 */
export function kpi(label, value, note = null, tone = null) {
  return h("div", { class: `kpi${tone ? ` ${tone}` : ""}` },
    h("p", { class: "kpi-value" }, value),
    h("p", { class: "kpi-label" }, label),
    note ? h("p", { class: "kpi-note" }, note) : null);
}
