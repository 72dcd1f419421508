// The administration's shared state and what every section does with it: show a message,
// report a failure, save a change to the configuration, draw the current section again.
import { api, ApiError } from "../common/api.js";
import { $, h } from "../common/dom.js";

/** @type {{ me: any, config: any, labels: any, section: string }} */
export const state = { me: null, config: null, labels: null, section: "servicios" };

/**
 * How the entry module draws a section and asks for a new sign-in (set once at start-up, so
 * the sections need not import the entry module).
 * @type {{ renderSection: () => void, signInAgain: (notice: string) => void }}
 */
export const page = { renderSection: () => {}, signInAgain: () => {} };

export function renderSection() {
  page.renderSection();
}

/**
 * @param {string} text
 * @param {"ok" | "error"} [kind]
 */
export function say(text, kind = "ok") {
  const box = $("#message");
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.replaceChildren(text ? h("p", { class: `is-${kind}`, text }) : "");
}

export function failed(e) {
  if (e instanceof ApiError && e.status === 401) {
    page.signInAgain("Su sesión terminó. Ingrese de nuevo.");
    return;
  }
  say(e.message || "Algo salió mal. Intente de nuevo.", "error");
  $("#message").scrollIntoView({ block: "nearest" });
}

// Read the current configuration, change one part, save the whole: the server validates.
export async function saveConfig(change, okText) {
  try {
    const fresh = await api("GET", "/api/v1/admin/config");
    change(fresh);
    state.config = await api("PUT", "/api/v1/admin/config", fresh);
    $("#office-name").textContent = state.config.office.name;
    renderSection();
    say(okText);
    return true;
  } catch (e) {
    failed(e);
    return false;
  }
}


/**
 * GET `path`; on failure the message is shown and the answer is null.
 * @param {string} path
 * @returns {Promise<any>}
 */
export async function fetchOrFail(path) {
  try {
    return await api("GET", path);
  } catch (e) {
    failed(e);
    return null;
  }
}
