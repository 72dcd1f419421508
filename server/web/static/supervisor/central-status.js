// "Envío a la central": when the office sends its records to a central reporting server,
// a line under the live view says when the last batch was acknowledged and how many records
// wait. Asked only while the dashboard is shown (a signed-in supervisor), every 30 s.
import { api } from "../common/api.js";
import { describeCentral } from "../common/central.js";

const REFRESH_MS = 30000;
const line = document.getElementById("central-status");
const dashboard = document.getElementById("dashboard");

async function refresh() {
  if (!line || !dashboard || dashboard.hidden) return;
  try {
    const s = await api("GET", "/api/v1/central/status");
    line.hidden = !s.configured;
    if (s.configured) {
      line.textContent = describeCentral(s);
      line.classList.toggle("warn", Boolean(s.last_error));
    }
  } catch {
    line.hidden = true;
  }
}

if (line && dashboard) {
  new MutationObserver(refresh).observe(dashboard, { attributes: true, attributeFilter: ["hidden"] });
  setInterval(refresh, REFRESH_MS);
  refresh();
}
