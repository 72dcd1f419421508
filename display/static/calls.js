// Which calls a board shows and which it announces. No DOM, no network: just the rules.
//
// A call is identified by its event `seq`. The board remembers the highest seq it has handled
// (one number, so nothing grows over days). On the first snapshot everything is only listed;
// on a reconnect, calls newer than that seq happened while the board was offline: they are
// listed, and announced if they are recent (ANNOUNCE_WINDOW_MS) — older ones are only listed,
// and nothing already handled is ever announced again.

export const HISTORY_LIMIT = 9; // the current call + 8 previous ones
export const ANNOUNCE_WINDOW_MS = 2 * 60 * 1000;
const CALL_TYPES = new Set(["ticket.called", "ticket.recalled"]);

export function isCall(message) {
  return CALL_TYPES.has(message.type) && message.ticket && message.ticket.number;
}

// Events carry the counter as an object, snapshot calls as a number.
export function counterNumber(call) {
  const c = call.counter;
  if (c && typeof c === "object") return c.number;
  if (typeof c === "number") return c;
  return call.ticket ? call.ticket.counter : null;
}

export class CallBoard {
  // filter: {services: [...], counters: [...]} (empty lists = everything)
  constructor(filter = {}) {
    /** @type {Set<string>} */
    this.services = new Set();
    /** @type {Set<number>} */
    this.counters = new Set();
    this.setFilter(filter);
    this.handledSeq = null;
    this.calls = [];
  }

  /** @param {{ services?: string[], counters?: (number | string)[] }} [filter] */
  setFilter({ services = [], counters = [] } = {}) {
    this.services = new Set(services);
    this.counters = new Set(counters.map(Number));
  }

  matches(call) {
    if (this.services.size && !this.services.has(call.ticket.service)) return false;
    if (this.counters.size && !this.counters.has(Number(counterNumber(call)))) return false;
    return true;
  }

  // Returns the calls to announce (oldest first).
  applySnapshot(snapshot) {
    const calls = (snapshot.recent_calls || [])
      .filter((c) => isCall(c) && this.matches(c))
      .sort((a, b) => a.seq - b.seq);
    const seq = snapshot.seq || 0;
    // First load, or the server's history was replaced (a new database): list only.
    const fresh = this.handledSeq === null || seq < this.handledSeq;
    const announce = [];
    if (fresh) {
      this.calls = [];
      calls.forEach((c) => this.push(c));
    } else {
      const serverNow = Date.parse((snapshot.queue && snapshot.queue.at) || "") || Date.now();
      for (const c of calls) {
        if (c.seq <= this.handledSeq) continue;
        this.push(c);
        const at = Date.parse(c.at || "");
        if (Number.isFinite(at) && serverNow - at <= ANNOUNCE_WINDOW_MS) announce.push(c);
      }
    }
    this.handledSeq = seq;
    return announce;
  }

  // Returns the call to show and announce, or null.
  applyEvent(event) {
    if (!isCall(event)) return null;
    if (this.handledSeq !== null && event.seq <= this.handledSeq) return null;
    this.handledSeq = event.seq;
    if (!this.matches(event)) return null;
    this.push(event);
    return event;
  }

  // A recall moves the ticket back to the top instead of listing it twice.
  push(call) {
    this.calls = this.calls.filter((c) => c.ticket.number !== call.ticket.number);
    this.calls.unshift(call);
    if (this.calls.length > HISTORY_LIMIT) this.calls.length = HISTORY_LIMIT;
  }
}
