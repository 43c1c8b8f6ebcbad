/**
 * The PAM360 simulator's in-memory state and user operations (vendor-apis.md §6.2). Texts marked
 * [UNKNOWN] in the reference are this simulator's defaults, not PAM360's proven wording.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Pam360PasswordPolicy, Pam360SimKnobs } from './pam360-sim-types.ts';

export const PAM360_BUILTIN_ROLES = [
  'Administrator',
  'Password Administrator',
  'Privileged Administrator',
  'Password User',
] as const;

/** Roles allowed to manage users through the API ([INF]). */
const ADMIN_ROLES = new Set(['administrator', 'privileged administrator']);

export interface SimUser {
  USERID: string;
  USERNAME: string;
  FIRSTNAME: string;
  LASTNAME: string;
  EMAIL: string;
  ROLE: string | null;
  isApiUser: boolean;
  locked: boolean;
  /** Everything the create call carried, as received. */
  details: Record<string, unknown>;
}

export interface SimToken {
  username: string;
  admin: boolean;
  /** Host the token is bound to (HOSTCHECK), or null. */
  host: string | null;
  /** False models a bound hostname that does not resolve in DNS on the PAM360 server. */
  hostResolvable: boolean;
}

export interface SimOutcome {
  status: 'success' | 'failed';
  message: string;
  details?: Record<string, unknown>;
}

const detailsSchema = z.record(z.string(), z.unknown());
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MANDATORY = ['FIRSTNAME', 'LASTNAME', 'USERNAME', 'EMAIL'] as const;

/** Why a PASSWORD breaks the policy, or null when it meets it. */
export function passwordPolicyProblem(password: string, policy: Pam360PasswordPolicy): string | null {
  const breaks =
    password.length < policy.minLength ||
    password.length > policy.maxLength ||
    (policy.mixedCase && !(/[A-Z]/.test(password) && /[a-z]/.test(password))) ||
    (policy.digit && !/\d/.test(password)) ||
    (policy.symbol && !/[^A-Za-z\d]/.test(password)) ||
    (policy.startWithLetter && !/^[A-Za-z]/.test(password));
  return breaks ? 'Password does not conform to the password policy' : null;
}

function isDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
/** PAM360 takes JSON booleans; pypmp sends "true"/"false" strings and works (§2.3). */
const bool = (v: unknown): boolean => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');

export class Pam360SimStore {
  readonly users = new Map<string, SimUser>();
  readonly tokens = new Map<string, SimToken>();
  #nextId = 601;

  reset(botToken: string): void {
    this.users.clear();
    this.tokens.clear();
    this.#nextId = 601;
    this.tokens.set(botToken, { username: 'access-desk-bot', admin: true, host: null, hostResolvable: true });
  }

  find(username: string): SimUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  /** Role name or id → canonical role name, or null when unknown. */
  #role(name: unknown, id: unknown, customRoles: readonly string[]): string | null | undefined {
    const all = [...PAM360_BUILTIN_ROLES, ...customRoles];
    if (str(name)) return all.find((r) => r.toLowerCase() === str(name).toLowerCase()) ?? null;
    if (id !== undefined) {
      const index = Number(id) - 301;
      return Number.isInteger(index) && index >= 0 ? (all[index] ?? null) : null;
    }
    return undefined;
  }

  /** POST /user with the parsed INPUT_DATA (`operation.Details`). */
  create(
    input: unknown,
    knobs: Pick<Pam360SimKnobs, 'roles' | 'passwordPolicy' | 'authTokenForNormalUsers'>,
  ): SimOutcome {
    const envelope = z.object({ operation: z.object({ Details: detailsSchema }) }).safeParse(input);
    if (!envelope.success) return { status: 'failed', message: 'Invalid input data' };
    const d = envelope.data.operation.Details;
    for (const field of MANDATORY) {
      if (!str(d[field])) return { status: 'failed', message: `${field} is mandatory` };
    }
    if (!EMAIL.test(str(d.EMAIL))) return { status: 'failed', message: 'Invalid email address' };
    const username = str(d.USERNAME);
    if (this.find(username)) return { status: 'failed', message: `User ${username} already exists` };
    const role = this.#role(d.ROLE, d.ROLEID, knobs.roles);
    if (role === null) return { status: 'failed', message: 'Invalid role' };
    const expiry = str(d.EXPIRYDATE);
    if (d.EXPIRYDATE !== undefined && expiry !== 'NeverExpires' && !isDate(expiry)) {
      return { status: 'failed', message: 'Invalid expiry date' };
    }
    const problem =
      d.PASSWORD !== undefined && knobs.passwordPolicy
        ? passwordPolicyProblem(String(d.PASSWORD), knobs.passwordPolicy)
        : null;
    if (problem) return { status: 'failed', message: problem };
    const user = this.seedUser({
      USERNAME: username,
      FIRSTNAME: str(d.FIRSTNAME),
      LASTNAME: str(d.LASTNAME),
      EMAIL: str(d.EMAIL),
      ROLE: role ?? null,
      isApiUser: bool(d.ISAPIUSER),
      details: d,
    });
    const details: Record<string, unknown> = { USERID: user.USERID };
    if (user.isApiUser || knobs.authTokenForNormalUsers) {
      const token = randomUUID().toUpperCase();
      const host = bool(d.HOSTCHECK) && str(d.HOSTNAME) ? str(d.HOSTNAME) : null;
      this.tokens.set(token, {
        username,
        admin: ADMIN_ROLES.has((role ?? '').toLowerCase()),
        host,
        hostResolvable: true,
      });
      details.AUTHTOKEN = token;
    }
    return { status: 'success', message: `User ${username} has been added successfully.`, details };
  }

  seedUser(init: Partial<SimUser> & { USERNAME: string }): SimUser {
    const user: SimUser = {
      USERID: init.USERID ?? String(this.#nextId++),
      USERNAME: init.USERNAME,
      FIRSTNAME: init.FIRSTNAME ?? 'Seeded',
      LASTNAME: init.LASTNAME ?? 'User',
      EMAIL: init.EMAIL ?? `${init.USERNAME.toLowerCase()}@example.com`,
      ROLE: init.ROLE ?? null,
      isApiUser: init.isApiUser ?? false,
      locked: init.locked ?? false,
      details: init.details ?? {},
    };
    this.users.set(user.USERNAME.toLowerCase(), user);
    return user;
  }

  getUserId(username: string, notFoundMessage: string): SimOutcome {
    const user = this.find(username);
    if (!user) return { status: 'failed', message: notFoundMessage };
    return { status: 'success', message: 'User ID fetched successfully', details: { USERID: user.USERID } };
  }

  delete(userId: string): SimOutcome {
    for (const [key, user] of this.users) {
      if (user.USERID === userId) {
        this.users.delete(key);
        for (const [token, t] of this.tokens) if (t.username === user.USERNAME) this.tokens.delete(token);
        return { status: 'success', message: 'User deleted successfully' };
      }
    }
    return { status: 'failed', message: 'User not found' };
  }

  setLocked(username: string, locked: boolean): SimOutcome {
    const user = this.find(username);
    if (!user) return { status: 'failed', message: 'User not found' };
    user.locked = locked;
    return {
      status: 'success',
      message: `User ${user.USERNAME} ${locked ? 'locked' : 'unlocked'} successfully`,
    };
  }
}
