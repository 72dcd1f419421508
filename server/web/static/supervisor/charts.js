// Chart.js (vendored, /static/vendor/chart.umd.min.js, global `Chart`) configured once for
// every supervisor chart: Spanish labels, readable fonts, colours that survive printing in
// grey, no animation (charts are read, and printed). One chart per canvas, replaced on update.

export const COLORS = {
  blue: "#1f5f99",
  teal: "#16877a",
  orange: "#c25e00",
  red: "#b3261e",
  grey: "#6b7785",
  ratings: ["#b3261e", "#d9730d", "#b59a00", "#5c9c31", "#16877a"],
};

function ChartLib() {
  if (!window.Chart) throw new Error("Chart.js no está cargado");
  return window.Chart;
}

let configured = false;
function configure() {
  if (configured) return;
  const Chart = ChartLib();
  Chart.defaults.font.family = "system-ui, 'DejaVu Sans', sans-serif";
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#27323d";
  Chart.defaults.animation = false;
  Chart.defaults.locale = "es-CO"; // tooltips and ticks: 7,5 and 1.234
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
  configured = true;
}

function draw(canvasId, config) {
  configure();
  const Chart = ChartLib();
  const canvas = document.getElementById(canvasId);
  const old = Chart.getChart(canvas);
  if (old) old.destroy();
  return new Chart(canvas, config);
}

function axis(title, extra = {}) {
  return { beginAtZero: true, title: { display: Boolean(title), text: title }, ...extra };
}

// Hours 0..23 that have data, as "08:00" labels, rows in the same order.
function byHour(summary) {
  const rows = [...summary.rows].sort((a, b) => a.key - b.key);
  return { rows, labels: rows.map((r) => r.label) };
}

export function waitByHour(canvasId, summary) {
  const { rows, labels } = byHour(summary);
  return draw(canvasId, {
    type: "bar",
    data: {
      labels,
      datasets: [
        { type: "bar", label: "Espera media", data: rows.map((r) => r.wait_min.mean),
          backgroundColor: COLORS.blue, order: 2 },
        { type: "line", label: "Percentil 90", data: rows.map((r) => r.wait_min.p90),
          borderColor: COLORS.orange, backgroundColor: COLORS.orange, pointRadius: 3,
          order: 1 },
      ],
    },
    options: { scales: { y: axis("minutos") } },
  });
}

export function volumeByHour(canvasId, summary) {
  const { rows, labels } = byHour(summary);
  return draw(canvasId, {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: "Emitidos", data: rows.map((r) => r.issued), backgroundColor: COLORS.blue },
        { label: "Atendidos", data: rows.map((r) => r.served), backgroundColor: COLORS.teal },
      ],
    },
    options: { scales: { y: axis("turnos") } },
  });
}

export function serviceComparison(canvasId, summary) {
  const rows = summary.rows;
  return draw(canvasId, {
    type: "bar",
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: "Espera media", data: rows.map((r) => r.wait_min.mean),
          backgroundColor: COLORS.blue },
        { label: "Percentil 90", data: rows.map((r) => r.wait_min.p90),
          backgroundColor: COLORS.orange },
        { label: "Meta", data: rows.map((r) => r.target_wait_min), backgroundColor: COLORS.grey },
      ],
    },
    options: {
      indexAxis: "y",
      scales: { x: axis("minutos"), y: { ticks: { autoSkip: false } } },
    },
  });
}

export function dailyTrend(canvasId, summary) {
  const rows = [...summary.rows].sort((a, b) => (a.key < b.key ? -1 : 1));
  return draw(canvasId, {
    type: "line",
    data: {
      labels: rows.map((r) => r.label.slice(5).split("-").reverse().join("/")),
      datasets: [
        { label: "Emitidos", data: rows.map((r) => r.issued), borderColor: COLORS.blue,
          backgroundColor: COLORS.blue, pointRadius: 2, tension: 0.2 },
        { label: "Atendidos", data: rows.map((r) => r.served), borderColor: COLORS.teal,
          backgroundColor: COLORS.teal, pointRadius: 2, tension: 0.2 },
      ],
    },
    options: { scales: { y: axis("turnos") } },
  });
}

/**
 * @param {string} canvasId
 * @param {any} indicators
 * @param {Record<string, string>} ratings  "1" … "5" → their names (from the labels)
 */
export function satisfaction(canvasId, indicators, ratings) {
  const dist = indicators.satisfaction.distribution;
  return draw(canvasId, {
    type: "bar",
    data: {
      labels: [1, 2, 3, 4, 5].map((r) => `${r} ${ratings[String(r)]}`),
      datasets: [{ label: "Respuestas", data: [1, 2, 3, 4, 5].map((r) => dist[String(r)]),
        backgroundColor: COLORS.ratings }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: axis("respuestas") } },
  });
}

export function outcomes(canvasId, indicators) {
  const parts = [
    ["Atendidos", indicators.served, COLORS.teal],
    ["Ausentes", indicators.no_show, COLORS.orange],
    ["Cancelados", indicators.cancelled, COLORS.grey],
    ["Sin atender al cierre", indicators.not_attended, COLORS.red],
    ["En curso", indicators.in_progress, COLORS.blue],
  ];
  return draw(canvasId, {
    type: "doughnut",
    data: {
      labels: parts.map((p) => p[0]),
      datasets: [{ label: "Turnos", data: parts.map((p) => p[1]),
        backgroundColor: parts.map((p) => p[2]) }],
    },
    options: { plugins: { legend: { position: "right" } } },
  });
}

// Charts re-measure their boxes before printing (A4 is narrower than the screen).
export function resizeAllCharts() {
  const Chart = window.Chart;
  if (!Chart) return;
  for (const canvas of document.querySelectorAll("canvas")) {
    const chart = Chart.getChart(canvas);
    if (chart) chart.resize();
  }
}
