// The texts the pages show for codes (pause reasons, roles, weekdays, months, statistics
// dimensions, ratings, "people ahead"), read once per page from GET /api/v1/labels: they are
// defined once, on the server, and no page keeps a copy.
//
//   const labels = await loadLabels();
//   labels.pause_reasons.lunch                         → "Almuerzo"
//   countText(labels.people_ahead, 3)                   → "Hay 3 personas antes que usted."
import { api } from "./api.js";

/**
 * @typedef {object} Labels
 * @property {Record<string, string>} pause_reasons
 * @property {Record<string, string>} roles
 * @property {Record<string, string>} weekdays   monday → Lunes, in week order
 * @property {string[]} months                   enero … diciembre
 * @property {Record<string, string>} dimensions statistics "by" → its name
 * @property {Record<string, string>} ratings    "1" … "5" → Muy mala … Muy buena
 * @property {CountTexts} people_ahead
 * @property {CountTexts} people_ahead_short
 */
/** @typedef {{ zero: string, one: string, other: string }} CountTexts */

/** @type {Promise<Labels> | null} */
let loading = null;

/**
 * The labels, fetched on the first call and shared by every later one. A failed fetch is not
 * kept: the next call tries again.
 * @returns {Promise<Labels>}
 */
export function loadLabels() {
  if (!loading) {
    loading = api("GET", "/api/v1/labels");
    loading.catch(() => {
      loading = null;
    });
  }
  return /** @type {Promise<Labels>} */ (loading);
}

/**
 * The text for a count: `zero`, `one` or `other` with {n} replaced.
 * @param {CountTexts} texts
 * @param {number} n
 */
export function countText(texts, n) {
  const text = n === 0 ? texts.zero : n === 1 ? texts.one : texts.other;
  return text.replace("{n}", String(n));
}
