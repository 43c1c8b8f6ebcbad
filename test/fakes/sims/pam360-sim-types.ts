/** Types, knobs and fault schemas of the PAM360 simulator (see pam360-sim.ts). */

import { z } from 'zod';
import type { Pam360Settings } from '../../../src/config/schema.ts';
import type { Pam360SimStore, SimToken } from './pam360-sim-store.ts';
import type { SimFault, SimHold } from './sim-kit.ts';

export const PAM360_SIM_ROUTES = ['createUser', 'getUserId', 'deleteUser', 'lockUser', 'unlockUser'] as const;
export type Pam360SimRoute = (typeof PAM360_SIM_ROUTES)[number];

/**
 * [UNKNOWN] The password policy PAM360 applies to a new user's PASSWORD. It is an admin's choice in
 * PAM360; the seed's sample names "Strong" and sends `Test@123` (8 characters, both cases, a digit, a
 * symbol, a leading letter), which the default below accepts.
 */
export const pam360PasswordPolicySchema = z.object({
  minLength: z.number().int().min(1),
  maxLength: z.number().int().min(1),
  mixedCase: z.boolean(),
  digit: z.boolean(),
  symbol: z.boolean(),
  startWithLetter: z.boolean(),
});
export type Pam360PasswordPolicy = z.infer<typeof pam360PasswordPolicySchema>;

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
  /** Policy a PASSWORD must meet, or null to take any. */
  passwordPolicy: pam360PasswordPolicySchema.nullable(),
  /** [INF] Whether a normal user's create answer carries an AUTHTOKEN too (the reference infers: API users only). */
  authTokenForNormalUsers: z.boolean(),
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
  passwordPolicy: {
    minLength: 8,
    maxLength: 64,
    mixedCase: true,
    digit: true,
    symbol: true,
    startWithLetter: true,
  },
  authTokenForNormalUsers: false,
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
  fault(route: Pam360SimRoute, fault: SimFault, times?: number): void;
  /** Hold the next call of a route until released (see sim-hold.ts). */
  hold(route: Pam360SimRoute): SimHold;
  /** POST /user calls that reached the server, faulted ones included. */
  readonly createCalls: number;
  /** Calls per route since start or reset. */
  readonly calls: Readonly<Record<Pam360SimRoute, number>>;
  readonly lastRequest: RecordedRequest | null;
  readonly store: Pam360SimStore;
  seedUser: Pam360SimStore['seedUser'];
  /** The PASSWORD a created user's create call carried. */
  passwordOf(username: string): string | undefined;
  seedToken(token: string, init?: Partial<SimToken>): void;
  /** Clear users, tokens (but the bot's), faults, counters; knobs back to the start options. */
  reset(): void;
  /** Complete settings wiring the real client to this sim. */
  settings(overrides?: Partial<Pam360Settings>): Pam360Settings;
  close(): Promise<void>;
}
