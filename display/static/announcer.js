// The board's voice: chime → spoken phrase → next, one at a time, never overlapping, never cut.
//
// The phrase is a WAV made on the server by espeak-ng (offline). It is fetched while the chime
// plays, played from an object URL, and the URL is revoked right after, so nothing piles up in
// memory over days. Every step has a time limit: a stuck audio element can never stop the
// queue. If the browser blocks sound (no autoplay permission) the queue waits and the page
// asks for one touch.

import { apiBlob } from "../common/api.js";

const CHIME_URL = "/display/chime.wav";
const MAX_QUEUE = 8;
const STALE_MS = 2 * 60 * 1000; // a call not announced within 2 minutes is no longer news
const GAP_MS = 400;
const CHIME_LIMIT_MS = 6000;
const SPEECH_LIMIT_MS = 20000;

/**
 * @typedef {object} AnnouncerOptions
 * @property {string} [voice]
 * @property {number} [speed]   words per minute
 * @property {number} [volume]  0 … 1
 * @property {boolean} [silent]
 * @property {(call: any, spoken: boolean) => void} [onAnnounced]  after each call, spoken or not
 * @property {() => void} [onBlocked]  the browser refused to play: a touch is needed
 * @property {(idle: boolean) => void} [onIdle]  nothing playing and nothing queued
 */

export class Announcer {
  /** @param {AnnouncerOptions} [options] */
  constructor({ voice = "es-419", speed = 150, volume = 1, silent = false,
                onAnnounced = () => {}, onBlocked = () => {}, onIdle = () => {} } = {}) {
    this.voice = voice;
    this.speed = speed;
    this.volume = volume;
    this.silent = silent;
    this.onAnnounced = onAnnounced;
    this.onBlocked = onBlocked;
    this.onIdle = onIdle; // (true|false): nothing playing and nothing queued
    this.queue = [];
    this.busy = false;
    this.blocked = false;
    this.audio = new Audio();
    this.audio.preload = "auto";
  }

  speechUrl(call, counter) {
    const number = encodeURIComponent(call.ticket.number);
    const query = new URLSearchParams({ voice: this.voice, speed: String(this.speed) });
    return `/api/v1/announcements/${number}/${encodeURIComponent(counter)}.wav?${query}`;
  }

  enqueue(call, counter) {
    if (this.silent || counter === null || counter === undefined) return;
    this.queue.push({ call, counter, at: Date.now() });
    while (this.queue.length > MAX_QUEUE) this.queue.shift();
    this.pump();
  }

  // After a touch: the browser now lets us play.
  unlock() {
    this.blocked = false;
    this.pump();
  }

  async pump() {
    if (this.busy || this.blocked) return;
    let item = this.queue.shift();
    while (item && Date.now() - item.at > STALE_MS) item = this.queue.shift();
    if (!item) {
      this.onIdle(true);
      return;
    }
    this.busy = true;
    this.onIdle(false);
    const speech = this.fetchSpeech(item);
    let spoken = false;
    try {
      await this.play(CHIME_URL, CHIME_LIMIT_MS);
      const url = await speech;
      if (url) {
        try {
          spoken = await this.play(url, SPEECH_LIMIT_MS);
        } finally {
          URL.revokeObjectURL(url);
        }
      }
      this.onAnnounced(item.call, spoken);
    } catch (error) {
      speech.then((url) => url && URL.revokeObjectURL(url));
      if (error && error.name === "NotAllowedError") {
        this.blocked = true;
        this.queue.unshift(item);
        this.onBlocked();
      }
    } finally {
      this.busy = false;
    }
    if (this.blocked) return;
    if (this.queue.length) setTimeout(() => this.pump(), GAP_MS);
    else this.onIdle(true);
  }

  async fetchSpeech(item) {
    try {
      return URL.createObjectURL(await apiBlob(this.speechUrl(item.call, item.counter)));
    } catch (e) {
      return null; // no voice on the server, or no network: the chime alone still sounds
    }
  }

  // Resolves true when the sound played to its end, false when it was cut by the time limit;
  // rejects when the browser refuses to play.
  play(src, limitMs) {
    return new Promise((resolve, reject) => {
      const audio = this.audio;
      let timer = null;
      const finish = (error, ended) => {
        clearTimeout(timer);
        audio.onended = null;
        audio.onerror = null;
        if (error) reject(error);
        else resolve(ended);
      };
      audio.onended = () => finish(null, true);
      audio.onerror = () => finish(null, false);
      timer = setTimeout(() => {
        audio.pause();
        finish(null, false);
      }, limitMs);
      audio.volume = this.volume;
      audio.src = src;
      const started = audio.play();
      if (started) started.catch((error) => finish(error, false));
    });
  }
}
