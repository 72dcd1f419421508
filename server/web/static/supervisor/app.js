// The supervisor dashboard: sign-in gate, then two tabs ("Ahora", "Historial").
import { api } from "../common/api.js";
import { $ } from "../common/dom.js";
import { startHistory } from "./history.js";
import { startLive } from "./live-view.js";
import { startManagerPage } from "./manager.js";

const TABS = [
  { tab: "tab-live", panel: "panel-live", hash: "#ahora", start: startLive },
  { tab: "tab-history", panel: "panel-history", hash: "#historial", start: startHistory },
];

function select(index, focus = false) {
  TABS.forEach((t, i) => {
    const tab = $(`#${t.tab}`);
    const active = i === index;
    tab.setAttribute("aria-selected", String(active));
    tab.tabIndex = active ? 0 : -1;
    $(`#${t.panel}`).hidden = !active;
    if (active && focus) tab.focus();
  });
  history.replaceState(null, "", TABS[index].hash);
  TABS[index].start();
}

function wireTabs() {
  TABS.forEach((t, i) => {
    const tab = $(`#${t.tab}`);
    tab.addEventListener("click", () => select(i));
    tab.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight") select((i + 1) % TABS.length, true);
      if (event.key === "ArrowLeft") select((i + TABS.length - 1) % TABS.length, true);
    });
  });
}

async function showOfficeName() {
  try {
    const office = await api("GET", "/api/v1/office");
    $("#office-name").textContent = office.name;
    document.title = `Supervisión · ${office.name}`;
  } catch (e) {
    // the name is a nicety; the page works without it
  }
}

startManagerPage(() => {
  wireTabs();
  showOfficeName();
  startLive();
  const initial = TABS.findIndex((t) => t.hash === location.hash);
  select(initial >= 0 ? initial : 0);
});
