// Administration: the office, services, counters, preferential groups, opening hours and
// holidays, priority policy, boards and their message, characterization questions, users and
// device tokens — one module per section, this one starts the page. Each section has its own
// address (/admin#horario) and the browser's back button moves between sections.
//
// Configuration edits read the current configuration, change one part and send the whole of
// it back (PUT /api/v1/admin/config): the server validates it exactly like the TOML file and
// applies it at once. Its messages are shown as they come, in plain Spanish.
import { api } from "../common/api.js";
import { $, h, show } from "../common/dom.js";
import { loadLabels } from "../common/labels.js";
import { requireRole, signIn, signOut } from "../common/signin.js";
import { renderBoardMessage } from "./board-message.js";
import { renderBoards } from "./boards.js";
import { renderCharacterization } from "./characterization.js";
import { failed, page, say, state } from "./context.js";
import { renderCounters } from "./counters.js";
import { renderTokens } from "./devices.js";
import { renderGroups } from "./groups.js";
import { renderHealth } from "./health.js";
import { renderHours } from "./hours.js";
import { renderOffice } from "./office.js";
import { renderPriority } from "./priority.js";
import { showQrWarning } from "./qr-warning.js";
import { renderServices } from "./services.js";
import { renderUsers } from "./users.js";

/** @type {[string, string, (box: HTMLElement) => void][]} */
const SECTIONS = [
  ["servicios", "Servicios", renderServices],
  ["oficina", "Oficina", renderOffice],
  ["ventanillas", "Ventanillas", renderCounters],
  ["grupos", "Grupos preferenciales", renderGroups],
  ["horario", "Horario", renderHours],
  ["prioridad", "Prioridad", renderPriority],
  ["pantalla", "Mensaje de pantalla", renderBoardMessage],
  ["pantallas", "Pantallas", renderBoards],
  ["caracterizacion", "Caracterización", renderCharacterization],
  ["usuarios", "Usuarios", renderUsers],
  ["dispositivos", "Dispositivos", renderTokens],
  ["estado", "Estado del servidor", renderHealth],
];
const SIGN_IN = { title: "Administración", subtitle: "Ingrese con un usuario administrador." };

async function main() {
  const me = await requireRole($("#signin"), { ...SIGN_IN, roles: ["admin"],
    who: "administradores" });
  enter(me);
}

/** @param {import("../common/signin.js").Me} me */
async function enter(me) {
  state.me = me;
  show($("#admin"), true);
  $("#admin-user").textContent = me.display_name || me.username;
  try {
    [state.config, state.labels] = await Promise.all([
      api("GET", "/api/v1/admin/config"), loadLabels()]);
  } catch (e) {
    failed(e);
    return;
  }
  $("#office-name").textContent = state.config.office.name;
  showQrWarning($("#qr-warning"));
  state.section = sectionInAddress();
  renderNav();
  renderSection();
}

/** The section the address names (#horario), or the first one. */
function sectionInAddress() {
  const wanted = decodeURIComponent(location.hash.slice(1));
  return SECTIONS.some(([id]) => id === wanted) ? wanted : SECTIONS[0][0];
}

/** Show a section; a link click adds a history entry (the address changes), so the back
 * button returns to the section before. */
function showSection(id) {
  if (id === state.section) return;
  state.section = id;
  say("");
  renderNav();
  renderSection();
}

// Back/forward, a typed /admin#horario, or a link from elsewhere on the page.
window.addEventListener("hashchange", () => {
  if (state.config) showSection(sectionInAddress());
});

/** The session ended while the page was open: sign in again, then carry on. */
async function signInAgain(notice = "") {
  show($("#admin"), false);
  const me = await signIn($("#signin"), { ...SIGN_IN, notice });
  if (me.role === "admin") enter(me);
  else location.reload(); // another role: the page says what it may do
}

function renderNav() {
  $("#nav").replaceChildren(...SECTIONS.map(([id, label]) => h("li", {},
    h("a", { href: `#${id}`, "aria-current": id === state.section ? "page" : null,
      text: label }))));
}

function renderSection() {
  const section = SECTIONS.find(([id]) => id === state.section) || SECTIONS[0];
  const box = $("#section");
  box.replaceChildren();
  section[2](box);
}

page.renderSection = renderSection;
page.signInAgain = signInAgain;
$("#btn-logout").addEventListener("click", () => signOut());
main();
