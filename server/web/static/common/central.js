// The sending of this office's records to the central reporting server, in plain Spanish:
// the same words on /supervisor (a line under the live view), on /admin ("Estado del
// servidor") and in `turnero doctor`, from the body of GET /api/v1/central/status (also under
// "central" in GET /api/v1/health).

/**
 * @typedef {{ configured: boolean, pending: number | null, last_success_at: string | null,
 *   last_error: string | null }} CentralStatus
 */

/**
 * "último envío … · 2 registros en espera · Sin conexión …", or that no centre is set.
 * @param {CentralStatus} s
 */
export function centralDetail(s) {
  if (!s.configured) return "no configurado: esta oficina no envía sus registros a ninguna central.";
  const last = s.last_success_at
    ? `último envío ${new Date(s.last_success_at).toLocaleString("es-CO")}`
    : "todavía sin envíos confirmados";
  const waiting = s.pending === 1 ? "1 registro en espera" : `${s.pending ?? 0} registros en espera`;
  const problem = s.last_error ? ` · ${s.last_error}` : "";
  return `${last} · ${waiting}${problem}`;
}

/** "Envío a la central: …" as one line. @param {CentralStatus} s */
export function describeCentral(s) {
  return `Envío a la central: ${centralDetail(s)}`;
}
