// The printable monthly report: /supervisor/report?month=YYYY-MM.
import { api } from "../common/api.js";
import { $, h } from "../common/dom.js";
import { fmt } from "../common/format.js";
import { loadLabels } from "../common/labels.js";
import * as charts from "./charts.js";
import { indicatorTable } from "./history.js";
import { kpi } from "./kpi.js";
import { startManagerPage } from "./manager.js";

function monthRange(month) {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(y, m, 0).getDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}`, y, m };
}

function currentMonth() {
  const asked = new URLSearchParams(location.search).get("month");
  if (asked && /^\d{4}-\d{2}$/.test(asked)) return asked;
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

function renderKpis(t) {
  $("#report-kpis").replaceChildren(
    kpi("Turnos emitidos", fmt.int(t.issued)),
    kpi("Atendidos", fmt.int(t.served)),
    kpi("Ausentes", fmt.int(t.no_show)),
    kpi("Transferidos", fmt.int(t.transferred)),
    kpi("Espera media", fmt.min(t.wait_min.mean)),
    kpi("Espera mediana", fmt.min(t.wait_min.median)),
    kpi("Espera percentil 90", fmt.min(t.wait_min.p90)),
    kpi("Espera máxima", fmt.min(t.wait_min.max)),
    kpi("Dentro de la meta", fmt.pct(t.within_target.share),
      `${fmt.int(t.within_target.count)} de ${fmt.int(t.within_target.of)} llamados`),
    kpi("Atención media", fmt.min(t.service_min.mean)),
    kpi("Satisfacción promedio", fmt.rating(t.satisfaction.average)),
    kpi("Tasa de respuesta", fmt.pct(t.satisfaction.response_rate),
      `${fmt.int(t.satisfaction.answers)} respuestas`),
  );
}

/**
 * @param {any} t  the month's indicators
 * @param {Record<string, string>} ratings  "1" … "5" → their names
 */
function renderSatisfaction(t, ratings) {
  const labels = [1, 2, 3, 4, 5].map((r) => ratings[String(r)]);
  const table = h("table", { class: "data sat-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Calificación"),
      h("th", { scope: "col", class: "num" }, "Respuestas"))),
    h("tbody", {}, ...labels.map((label, i) => h("tr", {},
      h("th", { scope: "row" }, `${i + 1} · ${label}`),
      h("td", { class: "num" }, fmt.int(t.satisfaction.distribution[String(i + 1)]))))));
  $("#satisfaction-text").replaceChildren(
    h("p", {}, `Promedio ${fmt.rating(t.satisfaction.average)} con ${fmt.int(t.satisfaction.answers)} respuestas `
      + `(${fmt.pct(t.satisfaction.response_rate)} de los turnos atendidos).`), table);
}

async function load(month) {
  const error = $("#report-error");
  error.textContent = "";
  const { from, to, y, m } = monthRange(month);
  const report = $("#report");
  report.setAttribute("aria-busy", "true");
  try {
    const [office, labels] = await Promise.all([api("GET", "/api/v1/office"), loadLabels()]);
    const dimensions = Object.keys(labels.dimensions);
    const results = await Promise.all(dimensions.map((by) =>
      api("GET", `/api/v1/stats/summary?from=${from}&to=${to}&by=${by}`)));
    const s = Object.fromEntries(dimensions.map((by, i) => [by, results[i]]));
    $("#report-office").textContent = office.name;
    const title = `Informe de atención al ciudadano · ${labels.months[m - 1]} de ${y}`;
    $("#report-title").textContent = title;
    document.title = `${title} · ${office.name}`;
    const generated = new Date().toLocaleDateString("es-CO", { day: "numeric", month: "long", year: "numeric" });
    $("#report-range").textContent =
      `Turnos emitidos del ${from.split("-").reverse().join("/")} al ${to.split("-").reverse().join("/")}. Generado el ${generated}.`;
    const total = s.service.total;
    renderKpis(total);
    indicatorTable($("#t-classes"), "Atención",
      [["Preferencial", s.service.classes.preferential], ["General", s.service.classes.general], ["Total", total]]);
    for (const by of ["service", "counter", "clerk", "group", "weekday"]) {
      indicatorTable(document.getElementById(`t-${by}`), s[by].by_name, s[by].rows.map((r) => [r.label, r]));
    }
    charts.waitByHour("r-wait-hour", s.hour);
    charts.volumeByHour("r-volume-hour", s.hour);
    charts.serviceComparison("r-service", s.service);
    charts.dailyTrend("r-trend", s.day);
    charts.satisfaction("r-satisfaction", total, labels.ratings);
    renderSatisfaction(total, labels.ratings);
    $("#definitions").replaceChildren(
      ...Object.values(s.service.definitions).map((d) => h("li", {}, d)));
  } catch (e) {
    error.textContent = e.message;
  } finally {
    report.setAttribute("aria-busy", "false");
  }
}

startManagerPage(() => {
  const month = currentMonth();
  /** @type {HTMLInputElement} */
  const input = $("#r-month");
  input.value = month;
  $("#report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value) return;
    history.replaceState(null, "", `?month=${input.value}`);
    load(input.value);
  });
  $("#r-print").addEventListener("click", () => window.print());
  window.addEventListener("beforeprint", charts.resizeAllCharts);
  load(month);
});
