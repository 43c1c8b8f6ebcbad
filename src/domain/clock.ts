/** Injectable time source: production uses the system clock, tests a fake clock. */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  now(): Date;
  /**
   * Resolves once `ms` of this clock's time has passed (lease heartbeats run on it, so a fake clock
   * drives them); rejects with the signal's reason when aborted first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
};
