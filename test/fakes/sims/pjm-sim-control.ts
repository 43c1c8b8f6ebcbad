/**
 * Test-only endpoints of the PJM simulator under /__sim/ (never part of PJM's API): reset, seed,
 * knobs, faults, state and the CAM-approval hook, so a sandbox can drive it over HTTP.
 */
import { z } from 'zod';
import type { PjmSim, Reply } from './pjm-sim.ts';
import { PJM_SIM_DEFAULT_KNOBS, PJM_SIM_ROUTES } from './pjm-sim-state.ts';
import { pjmSimAccountSchema, pjmSimSsoUserSchema, pjmSimUserSchema } from './pjm-sim-store.ts';

const seedSchema = z.object({
  accounts: z.array(pjmSimAccountSchema).default([]),
  users: z.array(pjmSimUserSchema).default([]),
  ssoUsers: z.array(pjmSimSsoUserSchema).default([]),
});

const knobsSchema = z
  .object({
    environment: z.enum(['prod', 'train']),
    requireClientCert: z.boolean(),
    ssoTlsMaxVersion: z.enum(['TLSv1.2', 'TLSv1.3']),
    tokenTtlSeconds: z.number().int().min(1),
    sessionFailureStyle: z.enum(['html200', 'redirect302', 'status401']),
    rateLimitPerMinute: z.number().int().min(0),
    rateLimitAction: z.enum(['429', 'none']),
    pendingVisibleWithActiveOnlyF: z.boolean(),
    noApiAccessStatus: z.number().int().min(400).max(599),
    csvLayout: z.enum(['standard', 'reordered-with-extra']),
    emptySearchResult: z.enum(['header', 'empty']),
  })
  .partial();

const faultSchema = z.object({
  route: z.enum(PJM_SIM_ROUTES),
  times: z.number().int().min(1).default(1),
  fault: z.object({
    latencyMs: z.number().int().min(0).optional(),
    timeout: z.boolean().optional(),
    reset: z.boolean().optional(),
    status5xx: z.number().int().min(500).max(599).optional(),
    status429: z.object({ retryAfter: z.string().optional() }).optional(),
    afterProcessing: z.boolean().optional(),
  }),
});

const ok = (value: unknown): Reply => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});
const bad = (message: string): Reply => ({
  status: 400,
  headers: { 'Content-Type': 'text/plain' },
  body: message,
});

function body(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return undefined;
  }
}

export function handleSimControl(sim: PjmSim, method: string, path: string, text: string): Reply {
  if (method === 'GET' && path === '/__sim/state') {
    return ok({ createCalls: sim.createCalls, liveSessions: sim.liveSessions(), knobs: sim.knobs });
  }
  if (method !== 'POST') return bad('POST expected');
  const approve = path.match(/^\/__sim\/pjm\/approve\/([^/]+)$/);
  if (approve?.[1]) {
    return sim.approve(decodeURIComponent(approve[1]))
      ? ok({ approved: true })
      : bad('no pending registration');
  }
  if (path === '/__sim/reset') {
    sim.reset();
    return ok({ reset: true, defaults: PJM_SIM_DEFAULT_KNOBS });
  }
  if (path === '/__sim/seed') {
    const seed = seedSchema.safeParse(body(text));
    if (!seed.success) return bad(seed.error.message);
    for (const a of seed.data.accounts) sim.seedAccount(a);
    for (const u of seed.data.users) sim.seedUser(u);
    for (const u of seed.data.ssoUsers) sim.seedSsoUser(u);
    return ok({ seeded: true });
  }
  if (path === '/__sim/knobs') {
    const knobs = knobsSchema.safeParse(body(text));
    if (!knobs.success) return bad(knobs.error.message);
    sim.setKnobs(knobs.data);
    return ok(sim.knobs);
  }
  if (path === '/__sim/fault') {
    const f = faultSchema.safeParse(body(text));
    if (!f.success) return bad(f.error.message);
    sim.fault(f.data.route, f.data.fault, f.data.times);
    return ok({ queued: true });
  }
  return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'unknown simulator endpoint' };
}
