// The start of every supervisor page: the shared sign-in for supervisors and administrators,
// then the page itself.
import { $, show } from "../common/dom.js";
import { requireRole, signOut } from "../common/signin.js";

/**
 * Shows the sign-in form (or "No tiene permiso" for other roles) in #gate until a manager is
 * signed in, then the dashboard; `onReady(me)` starts the page.
 * @param {(me: import("../common/signin.js").Me) => void} onReady
 */
export async function startManagerPage(onReady) {
  $("#logout").addEventListener("click", () => signOut());
  show($("#loading"), false);
  const me = await requireRole($("#gate"), { roles: ["supervisor", "admin"],
    who: "supervisores y administradores", title: "Iniciar sesión",
    subtitle: "Para supervisores y administradores." });
  $("#user-name").textContent = me.display_name;
  show($("#user-box"), true);
  show($("#dashboard"), true);
  onReady(me);
}
