// The one client of the JSON API for every page. It sends the session cookie and, on state
// changes, the CSRF header (cookie-session pages), or a device token as a Bearer header (the
// counter tablet); it turns the server's plain-Spanish `detail` into an ApiError the page can
// show as is, and a network failure into ApiError(0, "No hay conexión con el servidor.").
//
//   const office = await api("GET", "/api/v1/office");
//   await api("POST", `/api/v1/counters/${n}/pause`, { reason });
//   await api("GET", path, undefined, { token });         // a device token
//   const wav = await apiBlob(url);                        // binary answers (the board's voice)

/**
 * @typedef {object} RequestOptions
 * @property {string | null} [token]  a device token, sent as `Authorization: Bearer`
 * @property {boolean} [anonymous]    send no cookie at all (the citizen's ticket page)
 */

export class ApiError extends Error {
  /**
   * @param {number} status  HTTP status, 0 when the server could not be reached
   * @param {string} detail  the server's message, in plain Spanish
   * @param {Record<string, any>} [body]  the whole answer (e.g. `ticket` of a 409)
   */
  constructor(status, detail, body = {}) {
    super(detail);
    this.status = status;
    this.body = body;
  }
}

/** The CSRF token the server set in a readable cookie at sign-in ("" when there is none). */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)turnero_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]  sent as JSON when given
 * @param {RequestOptions} [options]
 * @returns {Promise<Response>} an answer with a 2xx status
 */
async function send(method, path, body, { token = null, anonymous = false } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (!["GET", "HEAD"].includes(method)) headers["X-CSRF-Token"] = csrfToken();
  /** @type {RequestInit} */
  const init = { method, headers, credentials: anonymous ? "omit" : "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "No hay conexión con el servidor.");
  }
  if (!response.ok) {
    const { detail, body: answer } = await problem(response);
    throw new ApiError(response.status, detail, answer);
  }
  return response;
}

/**
 * The server's `detail` (a list of validation problems joined), or "Error 500", and the
 * whole answer.
 * @param {Response} response
 */
async function problem(response) {
  let answer = {};
  try {
    answer = (await response.json()) || {};
  } catch (e) {
    answer = {};
  }
  let detail = answer.detail;
  if (Array.isArray(detail)) detail = detail.map((d) => d.msg).join("; ");
  return { detail: detail || `Error ${response.status}`, body: answer };
}

/**
 * A JSON API call: the decoded answer, or null for 204 No Content.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
export async function api(method, path, body, options) {
  const response = await send(method, path, body, options);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

/**
 * A GET whose answer is binary (a WAV): the body as a Blob.
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<Blob>}
 */
export async function apiBlob(path, options) {
  return (await send("GET", path, undefined, options)).blob();
}
