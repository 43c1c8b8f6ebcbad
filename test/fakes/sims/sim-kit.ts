/**
 * The one kit the three vendor simulators share, with one API: body reading, knobs checked by the
 * sim's own schema, a fault queue and holds per route, call counters, the HTTP(S) server on
 * 127.0.0.1 port 0, and the test-only `/__sim/*` endpoints (reset, knobs, fault, seed, state). Each
 * sim file keeps only its vendor's routes and rules. A plain module (no vitest): the sandbox and the
 * soak run the sims too.
 */
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { type SimHold, SimHolds } from './sim-hold.ts';

export type { SimHold } from './sim-hold.ts';

/** An answer, built by a sim's rules and sent by the kit. */
export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Faults every sim takes, on any of its routes, for the next N calls. */
export const simFaultSchema = z.object({
  /** Wait this long before answering (real time). */
  latencyMs: z.number().int().min(0).optional(),
  /** Never answer; the socket stays open until the client gives up or the sim closes. */
  timeout: z.boolean().optional(),
  /** Destroy the socket after reading the request. */
  reset: z.boolean().optional(),
  /** Answer this 5xx status with the page the vendor's front end shows (FaultPages). */
  status5xx: z.number().int().min(500).max(599).optional(),
  /** Answer 429 as the vendor's front end does, with `Retry-After: <retryAfter>` when given. */
  status429: z.object({ retryAfter: z.string().optional() }).optional(),
  /** Answer exactly this. */
  respond: z
    .object({ status: z.number().int(), body: z.string(), contentType: z.string().optional() })
    .optional(),
  /** Process the request first, then fail: the "answer lost" case. */
  afterProcessing: z.boolean().optional(),
});
export type SimFault = z.infer<typeof simFaultSchema>;

/** How a vendor's front end words a 5xx and a 429 (a proxy's HTML page, a gateway's JSON). */
export interface FaultPages {
  status5xx(status: number): SimReply;
  status429: SimReply;
}

export const jsonReply = (status: number, value: unknown): SimReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

export const textReply = (status: number, body: string, contentType = 'text/plain'): SimReply => ({
  status,
  headers: { 'content-type': contentType },
  body,
});

/** JSON text → value; an empty text is `{}`, a malformed one `undefined`. */
export function parseJson(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, reply: SimReply): void {
  res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
}

export interface SimKitOptions<Route extends string, Knobs extends z.ZodObject, Fault extends z.ZodObject> {
  routes: readonly Route[];
  knobsSchema: Knobs;
  knobs: z.infer<Knobs>;
  pages: FaultPages;
  /** The sim's fault schema when it takes more than the common faults (it extends simFaultSchema). */
  faultSchema?: Fault;
  /** Answers for the sim's own faults (say a gateway error code); undefined leaves the common ones. */
  answer?: (fault: z.infer<Fault>) => SimReply | undefined;
}

/**
 * Knobs, faults, holds and counters of one simulator, and the path every vendor request takes:
 * counted → held (if a hold is armed) → faulted (if one is queued) → the sim's rules → sent.
 */
export class SimKit<
  Route extends string,
  Knobs extends z.ZodObject,
  Fault extends z.ZodObject = typeof simFaultSchema,
> {
  readonly #options: SimKitOptions<Route, Knobs, Fault>;
  readonly #faultSchema: z.ZodObject;
  readonly #start: z.infer<Knobs>;
  #knobs: z.infer<Knobs>;
  readonly #faults = new Map<Route, { fault: z.infer<Fault>; left: number }[]>();
  readonly #holds = new SimHolds<Route>();
  #calls: Record<Route, number>;

  constructor(options: SimKitOptions<Route, Knobs, Fault>) {
    this.#options = options;
    this.#faultSchema = options.faultSchema ?? simFaultSchema;
    this.#start = options.knobsSchema.parse(options.knobs) as z.infer<Knobs>;
    this.#knobs = this.#start;
    this.#calls = this.#zeroCalls();
  }

  get knobs(): Readonly<z.infer<Knobs>> {
    return this.#knobs;
  }

  /** @throws ZodError when the result breaks the knobs' schema */
  setKnobs(patch: Partial<z.infer<Knobs>>): void {
    this.#knobs = this.#options.knobsSchema.parse({ ...this.#knobs, ...patch }) as z.infer<Knobs>;
  }

  /** Fail the next `times` calls of `route` with `fault`. */
  fault(route: Route, fault: z.input<Fault>, times = 1): void {
    const queue = this.#faults.get(route) ?? [];
    queue.push({ fault: this.#faultSchema.parse(fault) as z.infer<Fault>, left: times });
    this.#faults.set(route, queue);
  }

  /** Hold the next call of `route` until released (see sim-hold.ts). */
  hold(route: Route): SimHold {
    return this.#holds.hold(route);
  }

  /** Calls per route since start or reset, faulted ones included. */
  get calls(): Readonly<Record<Route, number>> {
    return this.#calls;
  }

  /** Knobs back to the start, no faults, no holds, counters zeroed. */
  reset(): void {
    this.#knobs = this.#start;
    this.#faults.clear();
    this.#holds.clear();
    this.#calls = this.#zeroCalls();
  }

  /** One vendor request on `route`; `process` applies the sim's rules (and changes its state). */
  async serve(
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
    process: () => SimReply | Promise<SimReply>,
  ): Promise<void> {
    this.#calls[route]++;
    await this.#holds.pass(route);
    const taken = this.#take(route);
    // Every sim's fault schema extends simFaultSchema.
    const fault = taken as SimFault | undefined;
    if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (taken && !fault?.afterProcessing && this.#fail(taken, req, res)) return;
    const reply = await process();
    if (taken && fault?.afterProcessing && this.#fail(taken, req, res)) return;
    send(res, reply);
  }

  /**
   * The test-only endpoints under /__sim/: GET state; POST reset, knobs (a partial patch), fault
   * ({route, fault, times}) and seed (the sim's own shape); `more` answers the sim's other ones.
   */
  control(
    method: string,
    path: string,
    text: string,
    own: {
      state(): unknown;
      reset(): void;
      seed(input: unknown): SimReply;
      more?: (path: string, input: unknown) => SimReply | undefined;
    },
  ): SimReply {
    if (method === 'GET' && path === '/__sim/state') return jsonReply(200, own.state());
    if (method !== 'POST') return jsonReply(405, { error: 'POST only' });
    const input = parseJson(text);
    const bad = (error: z.ZodError) => jsonReply(400, { error: z.prettifyError(error) });
    switch (path) {
      case '/__sim/reset':
        own.reset();
        return jsonReply(200, { reset: true, knobs: this.knobs });
      case '/__sim/knobs': {
        const patch = this.#options.knobsSchema.partial().safeParse(input);
        if (!patch.success) return bad(patch.error);
        this.setKnobs(patch.data as Partial<z.infer<Knobs>>);
        return jsonReply(200, { knobs: this.knobs });
      }
      case '/__sim/fault': {
        const request = z
          .object({
            route: z.enum(this.#options.routes as readonly [Route, ...Route[]]),
            fault: this.#faultSchema,
            times: z.number().int().min(1).default(1),
          })
          .safeParse(input);
        if (!request.success) return bad(request.error);
        this.fault(request.data.route, request.data.fault as z.input<Fault>, request.data.times);
        return jsonReply(200, { queued: true });
      }
      case '/__sim/seed':
        return own.seed(input);
      default:
        return own.more?.(path, input) ?? jsonReply(404, { error: 'unknown simulator endpoint' });
    }
  }

  #zeroCalls(): Record<Route, number> {
    return Object.fromEntries(this.#options.routes.map((r) => [r, 0])) as Record<Route, number>;
  }

  #take(route: Route): z.infer<Fault> | undefined {
    const queue = this.#faults.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (--head.left <= 0) queue.shift();
    return head.fault;
  }

  /** Answer with a fault; false when it only adds latency (or marks a later failure). */
  #fail(fault: z.infer<Fault>, req: IncomingMessage, res: ServerResponse): boolean {
    const common = fault as SimFault;
    const own = this.#options.answer?.(fault);
    if (own) send(res, own);
    else if (common.timeout) {
      // Never answer; the sim's close() destroys the socket.
    } else if (common.reset) req.socket.destroy();
    else if (common.status5xx) send(res, this.#options.pages.status5xx(common.status5xx));
    else if (common.status429) {
      const page = this.#options.pages.status429;
      const retry = common.status429.retryAfter;
      send(res, { ...page, headers: { ...page.headers, ...(retry ? { 'retry-after': retry } : {}) } });
    } else if (common.respond) {
      const { status, body, contentType = 'application/json' } = common.respond;
      send(res, { status, body, headers: { 'content-type': contentType } });
    } else return false;
    return true;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A handler that failed answers 500 (or drops the socket if it already started answering). */
const guarded = (handler: Handler) => (req: IncomingMessage, res: ServerResponse) => {
  handler(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
};

export function tlsServer(options: https.ServerOptions, handler: Handler): https.Server {
  return https.createServer(options, guarded(handler));
}

export function plainServer(handler: Handler): http.Server {
  return http.createServer(guarded(handler));
}

/** Listen on 127.0.0.1, port 0; the base URL. */
export async function listen(server: http.Server | https.Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('simulator: no TCP address');
  return `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${address.port}`;
}

/** Close, dropping open connections (a held or timed-out request among them). */
export async function closeServer(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}
