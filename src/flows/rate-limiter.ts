/**
 * A sliding-window limit per key (issue 8 §4: /lookup, 10 a minute per user), on the injectable clock.
 * Per process: with several replicas each counts its own share, which bounds a user at N × limit.
 */
import type { Clock } from '../domain/clock.ts';

export type RateVerdict = { ok: true } | { ok: false; retryAt: Date };

export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #hits = new Map<string, number[]>();

  constructor(opts: { limit: number; windowMs: number; clock: Clock }) {
    this.#limit = opts.limit;
    this.#windowMs = opts.windowMs;
    this.#clock = opts.clock;
  }

  /** Count one use of `key` if the window has room; otherwise say when the oldest use leaves it. */
  take(key: string): RateVerdict {
    const now = this.#clock.now().getTime();
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    if (recent.length >= this.#limit) {
      this.#hits.set(key, recent);
      return { ok: false, retryAt: new Date((recent[0] ?? now) + this.#windowMs) };
    }
    recent.push(now);
    this.#hits.set(key, recent);
    // Forget idle keys so the map does not grow with every user who ever looked something up.
    if (this.#hits.size > 10_000) {
      for (const [k, times] of this.#hits)
        if (times.every((t) => t <= now - this.#windowMs)) this.#hits.delete(k);
    }
    return { ok: true };
  }
}
