// The supervisor's acts on the day, each after a confirmation that says what will happen:
// free a counter (its ticket in hand returns to the line), cancel a ticket, move it to another
// service, close the day. The server records each in the audit log with who did it.
import { api } from "../common/api.js";
import { $ } from "../common/dom.js";

/**
 * Ask before acting; resolves true only on "Confirmar".
 * @param {string} text
 * @returns {Promise<boolean>}
 */
export function confirmAct(text) {
  const dialog = /** @type {HTMLDialogElement} */ ($("#confirm"));
  $("#confirm-text").textContent = text;
  return new Promise((resolve) => {
    const yes = $("#confirm-yes");
    const no = $("#confirm-no");
    const done = (answer) => {
      yes.removeEventListener("click", onYes);
      no.removeEventListener("click", onNo);
      dialog.removeEventListener("cancel", onNo);
      dialog.close();
      resolve(answer);
    };
    const onYes = () => done(true);
    const onNo = () => done(false);
    yes.addEventListener("click", onYes);
    no.addEventListener("click", onNo);
    dialog.addEventListener("cancel", onNo);
    dialog.showModal();
    no.focus();
  });
}

/** @param {string} text @param {boolean} [failed] */
export function say(text, failed = false) {
  const box = $("#action-result");
  box.textContent = text;
  box.classList.toggle("error", failed);
}

/**
 * Run one confirmed act; the page's live view follows from the events.
 * @param {string} question
 * @param {() => Promise<string>} act  resolves with the sentence to show
 */
export async function confirmed(question, act) {
  if (!(await confirmAct(question))) return false;
  try {
    say(await act());
    return true;
  } catch (e) {
    say(/** @type {Error} */ (e).message, true);
    return false;
  }
}

/** @param {{ number: number, name: string, clerk_name: string | null, ticket: any }} c */
export function freeCounter(c) {
  const held = c.ticket ? ` El turno ${c.ticket.number} vuelve a la fila en su lugar.` : "";
  const who = c.clerk_name ? ` ${c.clerk_name} saldrá de su sesión en esa ventanilla.` : "";
  return confirmed(`¿Liberar ${c.name}?${who}${held}`, async () => {
    await api("POST", `/api/v1/counters/${c.number}/free`);
    return `${c.name} quedó libre y cerrada.`;
  });
}

export function closeDay() {
  return confirmed("¿Cerrar el día? Todos los turnos que esperan terminan como «no atendido al "
    + "cierre». Esto no se puede deshacer.", async () => {
    const { closed } = await api("POST", "/api/v1/queue/close-day");
    return closed === 1 ? "Día cerrado: 1 turno quedó sin atender."
      : `Día cerrado: ${closed} turnos quedaron sin atender.`;
  });
}

/** @param {{ id: string, number: string }} t */
export function cancelTicket(t) {
  return confirmed(`¿Cancelar el turno ${t.number}? Sale de la fila.`, async () => {
    await api("POST", `/api/v1/tickets/${encodeURIComponent(t.id)}/cancel`);
    return `Turno ${t.number} cancelado.`;
  });
}

/**
 * @param {{ id: string, number: string }} t
 * @param {{ code: string, name: string }} service
 */
export function moveTicket(t, service) {
  return confirmed(`¿Pasar el turno ${t.number} a ${service.name}? Conserva su lugar en la fila.`,
    async () => {
      await api("POST", `/api/v1/tickets/${encodeURIComponent(t.id)}/transfer`,
        { service: service.code });
      return `Turno ${t.number} pasó a ${service.name}.`;
    });
}
