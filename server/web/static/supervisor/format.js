// Number and text formatting for the supervisor pages (es-CO), and tiny DOM helpers.

const decimal = new Intl.NumberFormat("es-CO", { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat("es-CO", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("es-CO", { style: "percent", maximumFractionDigits: 1 });

export const fmt = {
  int: (v) => (v === null || v === undefined ? "—" : integer.format(v)),
  min: (v) => (v === null || v === undefined ? "—" : `${decimal.format(v)} min`),
  num: (v) => (v === null || v === undefined ? "—" : decimal.format(v)),
  pct: (v) => (v === null || v === undefined ? "—" : percent.format(v)),
  rating: (v) => (v === null || v === undefined ? "—" : `${decimal.format(v)} / 5`),
};

// el("td", {class: "num"}, "12") — text only, never HTML: names come from users and config.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function isoDay(date) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

// A KPI card: big value, label, optional note.
export function kpi(label, value, note, tone) {
  return el("div", { class: `kpi${tone ? ` ${tone}` : ""}` },
    el("p", { class: "kpi-value" }, value),
    el("p", { class: "kpi-label" }, label),
    note ? el("p", { class: "kpi-note" }, note) : null);
}

// Debounce: many events in a burst → one refresh.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
