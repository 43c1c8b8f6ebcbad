/**
 * Acks first: Slack waits for an ack, a job does not. While Slack deliveries are arriving (one came
 * less than `quietMs` ago) or are still being handled (a click's decision, a modal opening), a
 * worker slot waits before its next claim — at most `maxWaitMs`, so a burst of clicks is acked and
 * decided before the jobs it caused compete for the one thread; jobs are delayed, never starved. A
 * delivery whose handling runs long (a /lookup waiting on its vendor) holds the worker back for
 * `maxWaitMs` after it arrived, no longer. Real time, not the Clock: this is scheduling, not a
 * business deadline.
 */
import { performance } from 'node:perf_hooks';

export class InboundTraffic {
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  #last = Number.NEGATIVE_INFINITY;
  /** Arrival times of the deliveries still being handled. */
  readonly #handling = new Set<{ at: number }>();
  /** Slots waiting in settled(), told when the last delivery being handled is done. */
  readonly #drained = new Set<() => void>();

  constructor(quietMs = 5, maxWaitMs = 100) {
    this.#quietMs = quietMs;
    this.#maxWaitMs = maxWaitMs;
  }

  /** A Slack delivery came in (before anything else); call the returned function once it is handled. */
  arrived(): () => void {
    const delivery = { at: performance.now() };
    this.#last = delivery.at;
    this.#handling.add(delivery);
    return () => {
      if (this.#handling.delete(delivery) && this.#handling.size === 0)
        for (const wake of [...this.#drained]) wake();
    };
  }

  /** Resolves once no delivery came for `quietMs` and none that came lately is being handled, or after `maxWaitMs`. */
  async settled(): Promise<void> {
    const deadline = performance.now() + this.#maxWaitMs;
    for (;;) {
      const now = performance.now();
      const until = Math.min(Math.max(this.#last + this.#quietMs, this.#handledBy()), deadline);
      if (until <= now) return;
      await this.#waitUntil(until - now);
    }
  }

  /** When the latest-arrived delivery still being handled stops holding the worker back. */
  #handledBy(): number {
    let by = Number.NEGATIVE_INFINITY;
    for (const d of this.#handling) by = Math.max(by, d.at + this.#maxWaitMs);
    return by;
  }

  /** `ms` passes, or the last delivery being handled is done. */
  #waitUntil(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#drained.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#drained.add(done);
    });
  }
}
