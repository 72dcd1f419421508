// "Historial": indicators of a date range with filters, charts, tables and downloads.
import { api } from "../common/api.js";
import { $, h } from "../common/dom.js";
import { fmt, isoDay } from "../common/format.js";
import { loadLabels } from "../common/labels.js";
import * as charts from "./charts.js";
import { kpi } from "./kpi.js";

let ready = false;

/**
 * @param {string | number} value
 * @param {string} label
 */
function option(value, label) {
  return h("option", { value }, label);
}

async function loadOptions() {
  const [o, labels] = await Promise.all([api("GET", "/api/v1/stats/options"), loadLabels()]);
  $("#f-by").append(...Object.entries(labels.dimensions).map(([by, name]) => option(by, name)));
  $("#f-service").append(...o.services.map((s) => option(s.code, `${s.code} · ${s.name}`)));
  $("#f-counter").append(...o.counters.map((c) => option(c.number, c.name)));
  $("#f-clerk").append(...o.clerks.map((c) => option(c.username, c.name)));
  const group = $("#f-group");
  group.append(...o.groups.map((g) => option(g.code, g.name)));
  const by = $("#f-by");
  const chars = $("#f-chars");
  if (o.characterization.enabled) {
    for (const q of o.characterization.questions) {
      const id = `f-char-${q.code}`;
      const select = h("select", { id, "data-question": q.code, class: "char-filter" },
        option("", "Todas las respuestas"), ...q.options.map((opt) => option(opt.code, opt.label)));
      chars.append(h("div", { class: "field" }, h("label", { for: id }, q.text), select));
      by.append(option(`char:${q.code}`, q.text));
    }
  }
}

/** @param {Record<string, string>} [extra] */
function params(extra = {}) {
  /** @type {HTMLFormElement} */
  const form = $("#filters");
  const p = new URLSearchParams();
  for (const name of ["from", "to", "service", "counter", "clerk", "group"]) {
    const value = form.elements[name].value;
    if (value) p.set(name, value);
  }
  for (const select of /** @type {NodeListOf<HTMLSelectElement>} */ (
    form.querySelectorAll(".char-filter"))) {
    if (select.value) p.append("char", `${select.dataset.question}:${select.value}`);
  }
  for (const [key, value] of Object.entries(extra)) p.set(key, value);
  return p;
}

function summary(by) {
  return api("GET", `/api/v1/stats/summary?${params({ by })}`);
}

function renderKpis(total) {
  const w = total.wait_min;
  $("#history-kpis").replaceChildren(
    kpi("Turnos emitidos", fmt.int(total.issued)),
    kpi("Atendidos", fmt.int(total.served),
      `${fmt.int(total.no_show)} ausentes · ${fmt.int(total.transferred)} transferidos`),
    kpi("Espera media", fmt.min(w.mean), `mediana ${fmt.min(w.median)} · p90 ${fmt.min(w.p90)}`),
    kpi("Espera máxima", fmt.min(w.max)),
    kpi("Dentro de la meta", fmt.pct(total.within_target.share),
      `${fmt.int(total.within_target.count)} de ${fmt.int(total.within_target.of)} llamados`),
    kpi("Atención media", fmt.min(total.service_min.mean), `mediana ${fmt.min(total.service_min.median)}`),
    kpi("Satisfacción", fmt.rating(total.satisfaction.average),
      `${fmt.int(total.satisfaction.answers)} respuestas`),
  );
}

/** @type {[string, (row: any) => string][]} */
const COLUMNS = [
  ["Emitidos", (r) => fmt.int(r.issued)],
  ["Atendidos", (r) => fmt.int(r.served)],
  ["Ausentes", (r) => fmt.int(r.no_show)],
  ["Transferidos", (r) => fmt.int(r.transferred)],
  ["Sin atender", (r) => fmt.int(r.not_attended)],
  ["Cancelados", (r) => fmt.int(r.cancelled)],
  ["Espera media", (r) => fmt.min(r.wait_min.mean)],
  ["Mediana", (r) => fmt.min(r.wait_min.median)],
  ["P90", (r) => fmt.min(r.wait_min.p90)],
  ["Máx.", (r) => fmt.min(r.wait_min.max)],
  ["Atención media", (r) => fmt.min(r.service_min.mean)],
  ["En meta", (r) => fmt.pct(r.within_target.share)],
  ["Satisfacción", (r) => fmt.rating(r.satisfaction.average)],
];

// A table of indicators: one row per entry, first column the label.
export function indicatorTable(table, firstHeader, entries) {
  const head = h("thead", {}, h("tr", {},
    h("th", { scope: "col" }, firstHeader),
    ...COLUMNS.map(([name]) => h("th", { scope: "col", class: "num" }, name))));
  const body = h("tbody", {}, ...entries.map(([label, r]) => h("tr", {},
    h("th", { scope: "row" }, label),
    ...COLUMNS.map(([, value]) => h("td", { class: "num" }, value(r))))));
  table.replaceChildren(head, body);
}

function updateDownloads() {
  const semicolon = /** @type {HTMLInputElement} */ ($("#x-semicolon")).checked;
  const links = {
    "x-tickets-csv": { kind: "tickets", format: "csv" },
    "x-tickets-xlsx": { kind: "tickets", format: "xlsx" },
    "x-summary-csv": { kind: "summary", format: "csv" },
    "x-summary-xlsx": { kind: "summary", format: "xlsx" },
  };
  for (const [id, extra] of Object.entries(links)) {
    const p = params(extra);
    if (semicolon && extra.format === "csv") p.set("sep", "semicolon");
    /** @type {HTMLAnchorElement} */ ($(`#${id}`)).href = `/api/v1/stats/export?${p}`;
  }
}

async function run() {
  const error = $("#history-error");
  error.textContent = "";
  const by = /** @type {HTMLSelectElement} */ ($("#f-by")).value;
  const results = $("#history-results");
  results.setAttribute("aria-busy", "true");
  try {
    const [byHour, byDay, byService, detail, labels] = await Promise.all(
      [summary("hour"), summary("day"), summary("service"), summary(by), loadLabels()]);
    renderKpis(detail.total);
    charts.waitByHour("chart-wait-hour", byHour);
    charts.volumeByHour("chart-volume-hour", byHour);
    charts.serviceComparison("chart-service", byService);
    charts.dailyTrend("chart-trend", byDay);
    charts.satisfaction("chart-satisfaction", detail.total, labels.ratings);
    charts.outcomes("chart-outcomes", detail.total);
    indicatorTable($("#classes"), "Atención",
      [["Preferencial", detail.classes.preferential], ["General", detail.classes.general],
        ["Total", detail.total]]);
    $("#detail-title").textContent = `Detalle por ${detail.by_name.toLowerCase()}`;
    indicatorTable($("#detail"), detail.by_name,
      detail.rows.map((r) => [r.label, r]));
    updateDownloads();
  } catch (e) {
    error.textContent = e.message;
  } finally {
    results.setAttribute("aria-busy", "false");
  }
}

export async function startHistory() {
  if (ready) return;
  ready = true;
  const today = new Date();
  const from = new Date(today);
  from.setDate(from.getDate() - 29);
  /** @type {HTMLInputElement} */ ($("#f-from")).value = isoDay(from);
  /** @type {HTMLInputElement} */ ($("#f-to")).value = isoDay(today);
  $("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  $("#x-semicolon").addEventListener("change", updateDownloads);
  try {
    await loadOptions();
  } catch (e) {
    $("#history-error").textContent = e.message;
  }
  await run();
}
