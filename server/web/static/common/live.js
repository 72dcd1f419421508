// Live events client shared by every page (panel, board, supervisor, ticket status).
//
// Connects to /api/v1/events, hands the snapshot and each event to the page, and survives
// everything a LAN meets: server restarts, network cuts, sleeping laptops. It reconnects with
// exponential back-off (1 s … 30 s, with jitter); on reconnect the server sends a fresh
// snapshot, so the page re-reads the whole state and nothing is missed. Events carry a
// monotonically increasing `seq`; this client never hands the page an event it already saw,
// so a call is never announced twice.
//
//   const live = new LiveEvents({
//     token: "...",                        // optional: device token (else the session cookie)
//     onSnapshot(snapshot) {},             // full state, on every (re)connect
//     onEvent(event) {},                   // one change: event.type, event.seq, event.ticket …
//     onStatus(connected) {},              // true / false as the link comes and goes
//     onRefused(code) {},                  // the server refused the token (4401 / 4403):
//   });                                    // revoked or wrong role; retries continue slowly
//   live.start();

/**
 * @typedef {object} LiveOptions
 * @property {string | null} [token]  a device token (else the session or device cookie)
 * @property {string} [path]          the websocket path (default /api/v1/events)
 * @property {(snapshot: any) => void} [onSnapshot]
 * @property {(event: any) => void} [onEvent]
 * @property {(connected: boolean) => void} [onStatus]
 * @property {(code: number) => void} [onRefused]
 */

export class LiveEvents {
  /** @param {LiveOptions} options */
  constructor({ token = null, path = "/api/v1/events", onSnapshot, onEvent, onStatus,
                onRefused }) {
    this.token = token;
    this.path = path;
    this.onSnapshot = onSnapshot || (() => {});
    this.onEvent = onEvent || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onRefused = onRefused || (() => {});
    this.lastSeq = 0;
    this.attempt = 0;
    /** @type {WebSocket | null} */
    this.ws = null;
    /** @type {boolean | null} unknown until the first snapshot or the first failure */
    this.connected = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.watchdog = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.reconnectTimer = undefined;
    this.stopped = false;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = this.token ? `?token=${encodeURIComponent(this.token)}` : "";
    return `${scheme}//${location.host}${this.path}${query}`;
  }

  start() {
    this.stopped = false;
    this.connect();
    // A laptop waking up or a TV coming back on the network: reconnect at once.
    window.addEventListener("online", () => this.reconnectSoon(0));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && !this.connected) this.reconnectSoon(0);
    });
  }

  stop() {
    this.stopped = true;
    if (this.ws) this.ws.close();
  }

  connect() {
    if (this.stopped) return;
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onmessage = (msg) => this.receive(msg.data);
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.setConnected(false);
      if (event.code === 4401 || event.code === 4403) {
        // Revoked or not allowed: say so, and knock again only now and then (a new token
        // may be issued, or the cookie renewed, without anyone touching the screen).
        this.attempt = Math.max(this.attempt, 5);
        this.onRefused(event.code);
      }
      this.scheduleReconnect();
    };
    ws.onerror = () => ws.close();
  }

  /** @param {string} text */
  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch (e) {
      return;
    }
    this.feedWatchdog();
    if (message.type === "snapshot") {
      this.attempt = 0;
      this.setConnected(true);
      // The snapshot reflects everything up to its seq and events after it follow; taking its
      // seq as is (not the max) also recovers when the server starts on a new database.
      this.lastSeq = message.seq || 0;
      this.onSnapshot(message);
      return;
    }
    if (message.type === "heartbeat") return;
    if (message.seq && message.seq <= this.lastSeq) return; // already seen
    if (message.seq) this.lastSeq = message.seq;
    this.onEvent(message);
  }

  // The server sends a heartbeat every 15 s: silence for 40 s means a dead link that the
  // browser has not noticed (a cut cable does not close a socket).
  feedWatchdog() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.ws) this.ws.close();
    }, 40000);
  }

  /** @param {boolean} value */
  setConnected(value) {
    if (this.connected === value) return;
    this.connected = value;
    this.onStatus(value);
  }

  scheduleReconnect() {
    clearTimeout(this.watchdog);
    const base = Math.min(30000, 1000 * 2 ** this.attempt);
    this.attempt += 1;
    this.reconnectSoon(base / 2 + Math.random() * base / 2);
  }

  /** @param {number} delayMs */
  reconnectSoon(delayMs) {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.connected && this.ws && this.ws.readyState === WebSocket.OPEN) return;
      if (this.ws && this.ws.readyState === WebSocket.CONNECTING) return;
      this.connect();
    }, delayMs);
  }
}
