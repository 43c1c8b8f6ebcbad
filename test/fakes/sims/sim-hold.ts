/**
 * One-shot holds on a simulator route: the next request to it waits, after it has been counted and
 * before it is processed, until the test releases it. A vendor call can so be held as long as a
 * test needs, with no timer anywhere.
 */
export interface SimHold {
  /** Resolves when a request has arrived and is being held. */
  readonly reached: Promise<void>;
  /** Let the held request (or the next one, if none arrived yet) through. */
  release(): void;
}

export class SimHolds<Route extends string> {
  readonly #armed = new Map<Route, { arrive(): void; released: Promise<void>; hold: SimHold }>();

  hold(route: Route): SimHold {
    let arrive = () => {};
    let release = () => {};
    const reached = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hold: SimHold = { reached, release };
    this.#armed.set(route, { arrive, released, hold });
    return hold;
  }

  /** Called by the simulator for each request: waits if a hold is armed on the route. */
  async pass(route: Route): Promise<void> {
    const armed = this.#armed.get(route);
    if (!armed) return;
    this.#armed.delete(route);
    armed.arrive();
    await armed.released;
  }

  /** Forget holds nobody reached (reset, close); a request already held stays held until released. */
  clear(): void {
    for (const { hold } of this.#armed.values()) hold.release();
    this.#armed.clear();
  }
}
