/**
 * Random vendor faults, armed on the simulators while the soak runs: latency up to 5 s, timeouts,
 * resets, 5xx, 429 with Retry-After, answers lost after processing, and forced token expiry (on
 * top of the short real-time session and token lifetimes). A route gets a new fault only after
 * a few of its calls went by, so roughly one call in FAULT_EVERY is faulted.
 */
import type { SimFault } from '../../test/fakes/sims/sim-kit.ts';
import type { World } from './world.ts';

export const FAULT_KINDS = [
  'latency',
  'timeout',
  'reset',
  'status5xx',
  'status429',
  'lostAnswer',
  'expiredToken',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const TICK_MS = 250;
/** Calls of a route between two faults: uniform in [MIN, MIN + SPREAD). */
const FAULT_EVERY_MIN = 4;
const FAULT_EVERY_SPREAD = 6;
const MAX_LATENCY_MS = 5_000;
/** Forced expiry of every Certification token, on top of the 15 s lifetime. */
const EXPIRE_TOKENS_EVERY_MS = 20_000;

interface Route {
  name: string;
  calls(): number;
  kinds: readonly FaultKind[];
  arm(kind: FaultKind, latencyMs: number, retryAfterS: number): void;
}

/** A fault in the shape every simulator takes (sim-kit.ts); each says how it loses an answer. */
function simFault(
  kind: FaultKind,
  latencyMs: number,
  retryAfterS: number,
  own: { status5xx: number },
): SimFault {
  if (kind === 'latency') return { latencyMs };
  if (kind === 'timeout') return { timeout: true };
  if (kind === 'reset') return { reset: true };
  if (kind === 'status5xx') return { status5xx: own.status5xx };
  if (kind === 'status429') return { status429: { retryAfter: String(retryAfterS) } };
  return { afterProcessing: true, reset: true };
}

function routes(w: World): Route[] {
  const route = (
    name: string,
    calls: () => number,
    kinds: FaultKind[],
    arm: (f: SimFault) => void,
  ): Route => ({
    name,
    calls,
    kinds,
    arm: (kind, latencyMs, retryAfterS) => arm(simFault(kind, latencyMs, retryAfterS, { status5xx: 503 })),
  });
  const pjm = (r: 'authenticate' | 'registrations' | 'userSearch', kinds: FaultKind[]) =>
    route(
      `pjm.${r}`,
      () => w.pjm.calls[r],
      kinds,
      (f) => w.pjm.fault(r, f),
    );
  const pam = (r: 'createUser' | 'getUserId', kinds: FaultKind[]) =>
    route(
      `pam360.${r}`,
      () => w.pam360.calls[r],
      kinds,
      (f) => w.pam360.fault(r, f),
    );
  const cert = (r: 'token' | 'users', kinds: FaultKind[]) =>
    route(
      `cert.${r}`,
      () => (r === 'token' ? w.cert.tokenCalls : w.cert.usersRequests),
      kinds,
      (f) => w.cert.fault(r, f),
    );
  const all: FaultKind[] = ['latency', 'timeout', 'reset', 'status5xx', 'status429'];
  return [
    pjm('authenticate', ['latency', 'timeout', 'reset', 'status5xx']),
    pjm('registrations', [...all, 'lostAnswer']),
    pjm('userSearch', all),
    pam('createUser', [...all, 'lostAnswer']),
    pam('getUserId', all),
    cert('token', ['latency', 'timeout', 'reset', 'status5xx']),
    cert('users', ['latency', 'status5xx', 'status429', 'lostAnswer']),
  ];
}

export class FaultInjector {
  readonly injected: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<
    FaultKind,
    number
  >;
  readonly #routes: Route[];
  readonly #nextAt = new Map<string, number>();
  readonly #random: () => number;
  readonly #world: World;
  #timers: NodeJS.Timeout[] = [];

  constructor(world: World, random: () => number) {
    this.#world = world;
    this.#routes = routes(world);
    this.#random = random;
  }

  get total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }

  start(): void {
    this.#timers = [
      setInterval(() => this.#tick(), TICK_MS),
      setInterval(() => {
        this.#world.cert.expireTokens();
        this.injected.expiredToken += 1;
      }, EXPIRE_TOKENS_EVERY_MS),
    ];
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  #tick(): void {
    for (const route of this.#routes) {
      const calls = route.calls();
      const due = this.#nextAt.get(route.name) ?? this.#gap();
      if (!this.#nextAt.has(route.name)) this.#nextAt.set(route.name, due);
      if (calls < due) continue;
      const kind = route.kinds[Math.floor(this.#random() * route.kinds.length)]!;
      route.arm(kind, Math.floor(this.#random() * MAX_LATENCY_MS), 1 + Math.floor(this.#random() * 2));
      this.injected[kind] += 1;
      this.#nextAt.set(route.name, calls + this.#gap());
    }
  }

  #gap(): number {
    return FAULT_EVERY_MIN + Math.floor(this.#random() * FAULT_EVERY_SPREAD);
  }
}
