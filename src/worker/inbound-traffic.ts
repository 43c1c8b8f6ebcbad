/**
 * Acks first: Slack waits for an ack, a job does not. While Slack deliveries are arriving (one came
 * less than `quietMs` ago), a worker slot waits before its next claim — at most `maxWaitMs`, so a
 * burst of clicks is acked before the jobs it caused compete for the one thread; jobs are delayed,
 * never starved. Real time, not the Clock: this is scheduling, not a business deadline.
 */
import { performance } from 'node:perf_hooks';

export class InboundTraffic {
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  #last = Number.NEGATIVE_INFINITY;

  constructor(quietMs = 5, maxWaitMs = 100) {
    this.#quietMs = quietMs;
    this.#maxWaitMs = maxWaitMs;
  }

  /** A Slack delivery came in (app.ts's guard, before anything else). */
  arrived(): void {
    this.#last = performance.now();
  }

  /** Resolves once no delivery came for `quietMs`, or after `maxWaitMs` at most. */
  async settled(): Promise<void> {
    const deadline = performance.now() + this.#maxWaitMs;
    for (;;) {
      const wait = Math.min(this.#last + this.#quietMs, deadline) - performance.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
