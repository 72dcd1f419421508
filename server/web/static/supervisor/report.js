// The printable monthly report: /supervisor/report?month=YYYY-MM.
import { api } from "/static/common/live.js";
import * as charts from "./charts.js";
import { el, fmt, kpi } from "./format.js";
import { indicatorTable } from "./history.js";
import { requireManager } from "./session.js";

const MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
  "septiembre", "octubre", "noviembre", "diciembre"];
const DIMENSIONS = ["service", "counter", "clerk", "group", "hour", "day", "weekday"];

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
  document.getElementById("report-kpis").replaceChildren(
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

function renderSatisfaction(t) {
  const labels = ["Muy mala", "Mala", "Regular", "Buena", "Muy buena"];
  const table = el("table", { class: "data sat-table" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Calificación"),
      el("th", { scope: "col", class: "num" }, "Respuestas"))),
    el("tbody", {}, ...labels.map((label, i) => el("tr", {},
      el("th", { scope: "row" }, `${i + 1} · ${label}`),
      el("td", { class: "num" }, fmt.int(t.satisfaction.distribution[String(i + 1)]))))));
  document.getElementById("satisfaction-text").replaceChildren(
    el("p", {}, `Promedio ${fmt.rating(t.satisfaction.average)} con ${fmt.int(t.satisfaction.answers)} respuestas `
      + `(${fmt.pct(t.satisfaction.response_rate)} de los turnos atendidos).`), table);
}

async function load(month) {
  const error = document.getElementById("report-error");
  error.textContent = "";
  const { from, to, y, m } = monthRange(month);
  const report = document.getElementById("report");
  report.setAttribute("aria-busy", "true");
  try {
    const office = await api("GET", "/api/v1/office");
    const results = await Promise.all(DIMENSIONS.map((by) =>
      api("GET", `/api/v1/stats/summary?from=${from}&to=${to}&by=${by}`)));
    const s = Object.fromEntries(DIMENSIONS.map((by, i) => [by, results[i]]));
    document.getElementById("report-office").textContent = office.name;
    const title = `Informe de atención al ciudadano · ${MONTHS[m - 1]} de ${y}`;
    document.getElementById("report-title").textContent = title;
    document.title = `${title} · ${office.name}`;
    const generated = new Date().toLocaleDateString("es-CO", { day: "numeric", month: "long", year: "numeric" });
    document.getElementById("report-range").textContent =
      `Turnos emitidos del ${from.split("-").reverse().join("/")} al ${to.split("-").reverse().join("/")}. Generado el ${generated}.`;
    const total = s.service.total;
    renderKpis(total);
    indicatorTable(document.getElementById("t-classes"), "Atención",
      [["Preferencial", s.service.classes.preferential], ["General", s.service.classes.general], ["Total", total]]);
    for (const by of ["service", "counter", "clerk", "group", "weekday"]) {
      indicatorTable(document.getElementById(`t-${by}`), s[by].by_name, s[by].rows.map((r) => [r.label, r]));
    }
    charts.waitByHour("r-wait-hour", s.hour);
    charts.volumeByHour("r-volume-hour", s.hour);
    charts.serviceComparison("r-service", s.service);
    charts.dailyTrend("r-trend", s.day);
    charts.satisfaction("r-satisfaction", total);
    renderSatisfaction(total);
    document.getElementById("definitions").replaceChildren(
      ...Object.values(s.service.definitions).map((d) => el("li", {}, d)));
    report.dataset.loaded = month;
  } catch (e) {
    error.textContent = e.message;
  } finally {
    report.removeAttribute("aria-busy");
  }
}

requireManager(() => {
  const month = currentMonth();
  const input = document.getElementById("r-month");
  input.value = month;
  document.getElementById("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value) return;
    history.replaceState(null, "", `?month=${input.value}`);
    load(input.value);
  });
  document.getElementById("r-print").addEventListener("click", () => window.print());
  window.addEventListener("beforeprint", charts.resizeAllCharts);
  load(month);
});
