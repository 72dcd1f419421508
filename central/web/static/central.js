// The departmental supervisor's page: offices side by side for a month, the twelve-month
// trend, the office-services with the fewest people called within target, and the offices
// that have not sent data. Everything comes from /api/v1/central with a bearer token kept in
// this tab's sessionStorage (no cookie, so no cross-site request can use it).
const TOKEN_KEY = "turnero-central-token";
const charts = {};

const fmt = {
  int: (n) => (n == null ? "—" : new Intl.NumberFormat("es-CO").format(n)),
  min: (n) => (n == null ? "—" : n.toLocaleString("es-CO", { maximumFractionDigits: 1 })),
  pct: (s) => (s == null ? "—" : `${(s * 100).toLocaleString("es-CO", { maximumFractionDigits: 1 })} %`),
  rating: (n) => (n == null ? "—" : n.toLocaleString("es-CO", { minimumFractionDigits: 2, maximumFractionDigits: 2 })),
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, v);
  node.append(...children.filter((c) => c != null));
  return node;
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { Accept: "application/json", ...(options.body ? { "Content-Type": "application/json" } : {}) };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(path, { ...options, headers });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, body.detail || `Error ${r.status}`);
  return body;
}

function monthRange(value) {
  const [y, m] = value.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${value}-01`, to: `${value}-${String(last).padStart(2, "0")}` };
}

// The twelve months up to `value` ("YYYY-MM"), oldest first. The trend asks each month on
// its own: a whole month is stored at the centre once computed, while a twelve-month range
// would merge every duration of the year for a total the chart does not draw.
function monthsBack(value) {
  const [y, m] = value.split("-").map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 12 + i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

function drawChart(id, config) {
  if (typeof Chart === "undefined") return;  // the chart script failed to load: tables remain
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart(document.getElementById(id), { ...config, options: {
    responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
}

function renderOffices(summary) {
  const body = document.querySelector("#offices tbody");
  body.replaceChildren(...summary.rows.map((r) => el("tr", {},
    el("th", { scope: "row" }, r.label),
    el("td", { class: "num" }, fmt.int(r.issued)),
    el("td", { class: "num" }, fmt.min(r.wait_min.median)),
    el("td", { class: "num" }, fmt.min(r.wait_min.p90)),
    el("td", { class: "num" }, fmt.pct(r.within_target.share)),
    el("td", { class: "num" }, fmt.rating(r.satisfaction.average)),
    el("td", { class: "num" }, fmt.min(r.classes?.preferential.wait_min.median)),
    el("td", { class: "num" }, fmt.min(r.classes?.general.wait_min.median)))));
  if (!summary.rows.length) body.append(el("tr", {}, el("td", { colspan: "8" }, "Sin turnos en este mes.")));
  drawChart("offices-chart", {
    type: "bar",
    data: { labels: summary.rows.map((r) => r.label), datasets: [
      { label: "Espera mediana preferencial (min)", data: summary.rows.map((r) => r.classes?.preferential.wait_min.median), backgroundColor: "#b45309" },
      { label: "Espera mediana general (min)", data: summary.rows.map((r) => r.classes?.general.wait_min.median), backgroundColor: "#0b4f8a" },
    ] },
  });
}

function renderTrend(summary) {
  drawChart("trend-chart", {
    type: "line",
    data: { labels: summary.rows.map((r) => r.label), datasets: [
      { label: "Espera mediana (min)", data: summary.rows.map((r) => r.wait_min.median), borderColor: "#0b4f8a", yAxisID: "y" },
      { label: "Dentro de la meta (%)", data: summary.rows.map((r) => (r.within_target.share == null ? null : r.within_target.share * 100)), borderColor: "#15803d", yAxisID: "share" },
    ] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "minutos" } },
      share: { position: "right", min: 0, max: 100, title: { display: true, text: "%" } } } },
  });
}

function renderWorst(summary) {
  const rows = summary.rows.filter((r) => r.within_target.of > 0)
    .sort((a, b) => a.within_target.share - b.within_target.share).slice(0, 10);
  document.querySelector("#worst tbody").replaceChildren(...rows.map((r) => el("tr", {},
    el("th", { scope: "row" }, r.label),
    el("td", { class: "num" }, fmt.int(r.issued)),
    el("td", { class: "num" }, fmt.int(r.target_wait_min)),
    el("td", { class: "num" }, fmt.pct(r.within_target.share)),
    el("td", { class: "num" }, fmt.min(r.wait_min.p90)))));
}

function renderLate(offices) {
  const late = offices.offices.filter((o) => o.late);
  const list = document.getElementById("late");
  list.replaceChildren(...late.map((o) => el("li", { class: "late" }, `${o.name} (${o.code}): `,
    o.last_send_at ? `último envío ${new Date(o.last_send_at).toLocaleString("es-CO")}` : "nunca ha enviado datos")));
  if (!late.length) list.append(el("li", {}, `Todas las oficinas enviaron datos en las últimas ${offices.late_after_hours} horas.`));
}

async function load() {
  const month = document.getElementById("month").value;
  const status = document.getElementById("status");
  const range = monthRange(month);
  status.textContent = "Cargando…";
  try {
    const q = (params) => new URLSearchParams(params).toString();
    const [offices, byOffice, worst, ...months] = await Promise.all([
      api("/api/v1/central/offices"),
      api(`/api/v1/central/summary?${q({ ...range, by: "office" })}`),
      api(`/api/v1/central/summary?${q({ ...range, by: "office_service" })}`),
      ...monthsBack(month).map((m) => api(`/api/v1/central/summary?${q({ ...monthRange(m), by: "month" })}`)),
    ]);
    renderLate(offices);
    renderOffices(byOffice);
    renderTrend({ rows: months.flatMap((s) => s.rows) });
    renderWorst(worst);
    document.getElementById("export-link").href = `/api/v1/central/export?${q(range)}`;
    status.textContent = `${fmt.int(byOffice.total.issued)} turnos en ${byOffice.rows.length} oficinas.`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showSignIn();
    status.textContent = e.message;
  }
}

function showSignIn() {
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById("dashboard").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("signin").hidden = false;
}

function showDashboard() {
  document.getElementById("signin").hidden = true;
  document.getElementById("dashboard").hidden = false;
  document.getElementById("logout").hidden = false;
  const month = document.getElementById("month");
  if (!month.value) {
    const now = new Date();
    month.value = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  }
  load();
}

// The export link needs the token: download through fetch and a blob address.
async function download(event) {
  event.preventDefault();
  const token = sessionStorage.getItem(TOKEN_KEY);
  const r = await fetch(event.currentTarget.href, { headers: { Authorization: `Bearer ${token}` } });
  if (!r.ok) { document.getElementById("status").textContent = "No se pudo descargar el archivo."; return; }
  const url = URL.createObjectURL(await r.blob());
  const a = el("a", { href: url, download: `turnos_${document.getElementById("month").value}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

document.getElementById("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("signin-error");
  error.textContent = "";
  try {
    const body = await api("/api/v1/central/auth/login", { method: "POST", body: JSON.stringify({
      username: document.getElementById("username").value,
      password: document.getElementById("password").value }) });
    sessionStorage.setItem(TOKEN_KEY, body.token);
    showDashboard();
  } catch (e) {
    error.textContent = e.message;
  }
});
document.getElementById("filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });
document.getElementById("export-link").addEventListener("click", download);
document.getElementById("logout").addEventListener("click", async () => {
  try { await api("/api/v1/central/auth/logout", { method: "POST" }); } finally { showSignIn(); }
});

if (sessionStorage.getItem(TOKEN_KEY)) {
  api("/api/v1/central/auth/me").then(showDashboard, showSignIn);
}
