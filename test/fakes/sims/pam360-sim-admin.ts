/**
 * Test-only endpoints of the PAM360 simulator (vendor-apis.md §6: clearly not the vendor's API):
 * POST /__sim/reset, /__sim/seed, /__sim/knobs, /__sim/faults; GET /__sim/state.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Pam360Sim } from './pam360-sim-types.ts';
import { PAM360_SIM_ROUTES, pam360SimFaultSchema, pam360SimKnobsSchema } from './pam360-sim-types.ts';

const seedSchema = z.object({
  users: z
    .array(
      z.object({
        USERNAME: z.string().min(1),
        FIRSTNAME: z.string().optional(),
        LASTNAME: z.string().optional(),
        EMAIL: z.string().optional(),
        ROLE: z.string().nullable().optional(),
        isApiUser: z.boolean().optional(),
        locked: z.boolean().optional(),
      }),
    )
    .default([]),
  tokens: z
    .array(
      z.object({
        token: z.string().min(1),
        username: z.string().optional(),
        admin: z.boolean().optional(),
        host: z.string().nullable().optional(),
        hostResolvable: z.boolean().optional(),
      }),
    )
    .default([]),
});

const faultRequestSchema = z.object({
  route: z.enum(PAM360_SIM_ROUTES),
  fault: pam360SimFaultSchema,
  times: z.number().int().min(1).default(1),
});

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function parseJson(body: string): unknown {
  try {
    return body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function handlePam360SimAdmin(
  sim: Pam360Sim,
  method: string,
  path: string,
  body: string,
  res: ServerResponse,
): void {
  const input = parseJson(body);
  const bad = (error: z.ZodError) => json(res, 400, { error: z.prettifyError(error) });
  if (method === 'GET' && path === '/__sim/state') {
    json(res, 200, {
      knobs: sim.knobs,
      createCalls: sim.createCalls,
      calls: sim.calls,
      users: [...sim.store.users.values()],
    });
    return;
  }
  if (method !== 'POST') {
    json(res, 405, { error: 'POST only' });
    return;
  }
  switch (path) {
    case '/__sim/reset':
      sim.reset();
      json(res, 200, { ok: true });
      return;
    case '/__sim/seed': {
      const parsed = seedSchema.safeParse(input);
      if (!parsed.success) {
        bad(parsed.error);
        return;
      }
      const users = parsed.data.users.map((u) => sim.seedUser(u));
      for (const { token, ...init } of parsed.data.tokens) sim.seedToken(token, init);
      json(res, 200, { users: users.map((u) => ({ USERNAME: u.USERNAME, USERID: u.USERID })) });
      return;
    }
    case '/__sim/knobs': {
      const parsed = pam360SimKnobsSchema.partial().safeParse(input);
      if (!parsed.success) {
        bad(parsed.error);
        return;
      }
      sim.setKnobs(parsed.data);
      json(res, 200, { knobs: sim.knobs });
      return;
    }
    case '/__sim/faults': {
      const parsed = faultRequestSchema.safeParse(input);
      if (!parsed.success) {
        bad(parsed.error);
        return;
      }
      sim.injectFault(parsed.data.route, parsed.data.fault, parsed.data.times);
      json(res, 200, { ok: true });
      return;
    }
    default:
      json(res, 404, { error: 'unknown sim endpoint' });
  }
}
