/** Types, knobs and fault schemas of the PAM360 simulator (see pam360-sim.ts). */

import { z } from 'zod';
import type { Pam360Settings } from '../../../src/config/schema.ts';
import type { Pam360SimStore, SimToken } from './pam360-sim-store.ts';
import type { SimHold } from './sim-hold.ts';

export const PAM360_SIM_ROUTES = ['createUser', 'getUserId', 'deleteUser', 'lockUser', 'unlockUser'] as const;
export type Pam360SimRoute = (typeof PAM360_SIM_ROUTES)[number];

export const pam360SimFaultSchema = z.object({
  /** Wait this long before answering (real time). */
  latencyMs: z.number().int().min(0).optional(),
  /** Never answer; the socket stays open until the client gives up or the sim closes. */
  timeout: z.boolean().optional(),
  /** Destroy the socket after reading the request. */
  reset: z.boolean().optional(),
  /** Answer this 5xx status with a proxy's HTML page. */
  status5xx: z.number().int().min(500).max(599).optional(),
  /** Answer 429, with `Retry-After: <retryAfter>` when given. */
  status429: z.union([z.literal(true), z.object({ retryAfter: z.string() })]).optional(),
  /** Answer exactly this. */
  raw: z.object({ status: z.number().int(), contentType: z.string(), body: z.string() }).optional(),
  /** Perform the operation first, then fail: the "response lost" case. */
  afterProcessing: z.boolean().optional(),
});
export type Pam360SimFault = z.infer<typeof pam360SimFaultSchema>;

export const pam360SimKnobsSchema = z.object({
  product: z.enum(['pam360', 'pmp']),
  /** How `result.status` is spelt; 'boolean' sends JSON true/false. */
  statusCase: z.enum(['Success/Failed', 'SUCCESS/FAILED', 'true/false', 'boolean']),
  /** A token bound to an unresolvable host gets an empty body instead of the "not allowed" envelope. */
  emptyBodyOnUnresolvableHost: z.boolean(),
  /** Known organisation display names for the orgName header (case-insensitive). */
  orgs: z.array(z.string()),
  /** [UNKNOWN]: whether an unknown orgName fails as an Authentication envelope or as the operation. */
  unknownOrgAs: z.enum(['authentication', 'operation']),
  /** Custom roles besides the built-in four. */
  roles: z.array(z.string()),
  /** [UNKNOWN] getUserId's Failed text for an absent user. */
  userNotFoundMessage: z.string(),
  /** Act as if INPUT_DATA arrived intact, missing, or not JSON (a body-stripping proxy). */
  inputData: z.enum(['asSent', 'missing', 'notJson']),
});
export type Pam360SimKnobs = z.infer<typeof pam360SimKnobsSchema>;

export const DEFAULT_PAM360_SIM_KNOBS: Pam360SimKnobs = {
  product: 'pam360',
  statusCase: 'Success/Failed',
  emptyBodyOnUnresolvableHost: false,
  orgs: ['Access Desk Test Org'],
  unknownOrgAs: 'operation',
  roles: [],
  userNotFoundMessage: 'User not found',
  inputData: 'asSent',
};

export interface Pam360SimOptions extends Partial<Pam360SimKnobs> {
  /** AUTHTOKEN of the bot's admin API user; a random uppercase GUID by default. */
  botToken?: string;
  departments?: string[];
  locations?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface Pam360Sim {
  url: string;
  botToken: string;
  caPem: string;
  readonly knobs: Pam360SimKnobs;
  setKnobs(patch: Partial<Pam360SimKnobs>): void;
  /** Fail the next `times` calls of a route. */
  injectFault(route: Pam360SimRoute, fault: Pam360SimFault, times?: number): void;
  /** Hold the next call of a route until released (see sim-hold.ts). */
  hold(route: Pam360SimRoute): SimHold;
  /** POST /user calls that reached the server, faulted ones included. */
  readonly createCalls: number;
  /** Calls per route since start or reset. */
  readonly calls: Readonly<Record<Pam360SimRoute, number>>;
  readonly lastRequest: RecordedRequest | null;
  readonly store: Pam360SimStore;
  seedUser: Pam360SimStore['seedUser'];
  seedToken(token: string, init?: Partial<SimToken>): void;
  /** Clear users, tokens (but the bot's), faults, counters; knobs back to the start options. */
  reset(): void;
  /** Complete settings wiring the real client to this sim. */
  settings(overrides?: Partial<Pam360Settings>): Pam360Settings;
  close(): Promise<void>;
}
