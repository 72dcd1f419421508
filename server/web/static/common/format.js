// Numbers, times and dates as the pages show them (es-CO): "7,5 min", "1 h 05 min", "—".

const decimal = new Intl.NumberFormat("es-CO", { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat("es-CO", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("es-CO", { style: "percent", maximumFractionDigits: 1 });

/** @typedef {number | null | undefined} MaybeNumber */

/** "—" for a missing value, else `format(value)`. @param {(v: number) => string} format */
const orDash = (format) => /** @param {MaybeNumber} v */ (v) => (
  v === null || v === undefined ? "—" : format(v));

/** Indicator formats: counts, minutes, plain numbers, shares, ratings out of 5. */
export const fmt = {
  int: orDash((v) => integer.format(v)),
  min: orDash((v) => `${decimal.format(v)} min`),
  num: orDash((v) => decimal.format(v)),
  pct: orDash((v) => percent.format(v)),
  rating: orDash((v) => `${decimal.format(v)} / 5`),
};

/**
 * "3 min", "1 h 05 min", "45 s": waiting and attention times read at a glance.
 * @param {number} seconds
 */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds)) || 0; // NaN (a missing time) reads 0 s
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * Seconds since the epoch of an ISO time, or NaN without one.
 * @param {string | null | undefined} iso
 */
export function seconds(iso) {
  return iso ? Date.parse(iso) / 1000 : Number.NaN;
}

/**
 * YYYY-MM-DD of a date in this computer's zone.
 * @param {Date} date
 */
export function isoDay(date) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/**
 * Many calls in a burst → one call `ms` after the last.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @returns {(...args: A) => void}
 */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
