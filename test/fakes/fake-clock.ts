import type { Clock } from '../../src/domain/clock.ts';

interface Sleeper {
  due: number;
  resolve(): void;
}

/** A clock that moves only when told to; sleeps end when it is moved past their due time. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  constructor(start: Date | string = '2026-11-24T09:00:00Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        due: this.#now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
      this.#wakeDue();
    });
  }
  /** Sleeps waiting on this clock (for tests that must know a heartbeat is armed). */
  get sleepers(): number {
    return this.#sleepers.length;
  }
  advance(ms: number): void {
    this.#now += ms;
    this.#wakeDue();
  }
  set(at: Date | string): void {
    this.#now = new Date(at).getTime();
    this.#wakeDue();
  }
  #wakeDue(): void {
    const due = this.#sleepers.filter((s) => s.due <= this.#now).sort((a, b) => a.due - b.due);
    this.#sleepers = this.#sleepers.filter((s) => s.due > this.#now);
    for (const s of due) s.resolve();
  }
}
