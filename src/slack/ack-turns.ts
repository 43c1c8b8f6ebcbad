/**
 * Acks go first: once a slash command or click is acked, the rest of its handling waits its turn,
 * one delivery per turn of the event loop. Envelopes read in between are acked before the work of
 * earlier ones runs, where resuming them all at once would hold every later ack behind all of it.
 */
export class AckTurns {
  readonly #waiting: (() => void)[] = [];
  #scheduled = false;

  /** Resolves on a later turn of the event loop, after the I/O read in between, in call order. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // An immediate queued from an immediate runs on the next turn, after that turn's I/O.
    setImmediate(this.#release);
  }

  readonly #release = (): void => {
    this.#scheduled = false;
    this.#waiting.shift()?.();
    if (this.#waiting.length > 0) this.#schedule();
  };
}
