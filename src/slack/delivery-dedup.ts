/**
 * De-duplication of inbound Slack deliveries, group-committed: every id asked about while the
 * event loop reads a burst of envelopes (and while the previous write is still in flight) is
 * marked in one store write, instead of one autocommit INSERT per delivery. The store decides
 * which delivery is first, so this holds across replicas too.
 */
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';

interface Waiting {
  id: string;
  resolve: (first: boolean) => void;
  reject: (e: unknown) => void;
}

export class DeliveryDedup {
  readonly #store: Pick<Store, 'markDeliveries'>;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #waiting: Waiting[] = [];
  #busy = false;

  constructor(store: Pick<Store, 'markDeliveries'>, clock: Clock, ttlMs: number) {
    this.#store = store;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** True for the first delivery of `id` (remembered for the TTL), false for a duplicate. */
  isFirst(id: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id, resolve, reject });
      this.#schedule();
    });
  }

  // setImmediate runs after the loop's I/O phase, so every envelope read in it joins the batch.
  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = [];
    try {
      const now = this.#clock.now();
      const firsts = await this.#store.markDeliveries(
        batch.map((w) => w.id),
        new Date(now.getTime() + this.#ttlMs),
        now,
      );
      for (const [i, w] of batch.entries()) w.resolve(firsts[i] === true);
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      this.#busy = false;
      if (this.#waiting.length > 0) this.#schedule();
    }
  }
}
