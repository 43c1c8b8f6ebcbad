/**
 * The Certification backend behind the simulated gateway (reference §6.3): an in-memory user store
 * and `POST /users` processing — each user validated and de-duplicated independently, in order.
 * Duplicate texts are the seed's own; validation texts are [UNKNOWN] in public material, so these
 * are plausible stand-ins. Passwords are kept out of everything this module returns.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Seed 002 patterns, verbatim. */
const USER_NAME = /^(?=.{2,60}$)(?![.])(?!.*[.]{2})[a-zA-Z0-9._#@-]+(?<![.])$/;
const PASSWORD = /^(?=.*[A-Za-z])(?=.*\d)(?=.*[@$!%*#?&])[A-Za-z\d@$!%*#?&]{8,}$/;
const EMAIL = /^[_A-Za-z0-9-+]+(\.[_A-Za-z0-9-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(\.[A-Za-z]{2,})$/;

export const DUPLICATE_USER_NAME = 'A user with the given username was found.';
export const DUPLICATE_EMAIL = 'A user with the given email address was found.';
export const BATCH_SIZE_MESSAGE = 'Request must contain between 1 and 1000 users';

export interface CertSimBackendKnobs {
  responseSpelling: 'sucessCount' | 'successCount';
  idType: 'string' | 'number';
  mixedBatchStatus: 200 | 400;
  roleTypes: readonly string[];
}

/** A stored user as tests see it: everything sent except the password. */
export interface CertSimUser {
  id: string | number;
  userName: string;
  email: string;
  fields: Record<string, unknown>;
}

const looseUser = z.record(z.string(), z.unknown());
const USER_ACCESS = ['r2RAdmin', 'r2REnabled', 'accessClose', 'r2RReadOnly', 'accessCompliance'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function validate(user: Record<string, unknown>, roleTypes: readonly string[]): string[] {
  const messages: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) messages.push(message);
  };
  const userName = str(user.userName);
  const password = str(user.password);
  const email = str(user.email);
  const name = z.record(z.string(), z.unknown()).safeParse(user.name);
  const names = name.success ? name.data : {};
  check(!!userName, 'userName is required');
  if (userName) check(USER_NAME.test(userName), `userName must match pattern ${USER_NAME.source}`);
  check(!!password, 'password is required');
  if (password) {
    check(password.length <= 255, 'password must be at most 255 characters');
    check(PASSWORD.test(password), `password must match pattern ${PASSWORD.source}`);
  }
  check(!!str(names.firstName), 'name.firstName is required');
  check(!!str(names.lastName), 'name.lastName is required');
  check(!!email, 'email is required');
  if (email) {
    check(email.length <= 128, 'email must be at most 128 characters');
    check(EMAIL.test(email), `email must match pattern ${EMAIL.source}`);
  }
  const phone = user.phoneNumber;
  check(
    phone === undefined || (typeof phone === 'string' && phone.length <= 20),
    'phoneNumber must be at most 20 characters',
  );
  for (const field of ['departmentId', 'locationId', 'programAdminRoleId', 'programAdminId']) {
    const v = user[field];
    check(
      v === undefined || (typeof v === 'string' && v.length <= 15),
      `${field} must be at most 15 characters`,
    );
  }
  const roles = z.array(z.object({ type: z.string(), value: z.string() })).safeParse(user.roles ?? []);
  if (!roles.success) messages.push('roles must be a list of {type, value}');
  else {
    for (const role of roles.data) {
      check(roleTypes.includes(role.type), `roles.type must be one of ${roleTypes.join(', ')}`);
    }
  }
  const access = z.record(z.string(), z.unknown()).safeParse(user.userAccess ?? {});
  check(
    access.success &&
      Object.entries(access.data).every(([k, v]) => USER_ACCESS.includes(k) && typeof v === 'boolean'),
    `userAccess must hold booleans ${USER_ACCESS.join(', ')}`,
  );
  check(user.lockedOut === undefined || typeof user.lockedOut === 'boolean', 'lockedOut must be a boolean');
  return messages;
}

export class CertSimBackend {
  readonly users: CertSimUser[] = [];
  /** The password each created user was sent with, so tests can check what the requester got. */
  readonly passwords = new Map<string, string>();
  /** Lower-cased user names and e-mails taken, so a batch of 1,000 is not checked against every user. */
  readonly #taken = { userNames: new Set<string>(), emails: new Set<string>() };
  #nextId = 1001;

  reset(): void {
    this.users.length = 0;
    this.passwords.clear();
    this.#taken.userNames.clear();
    this.#taken.emails.clear();
    this.#nextId = 1001;
  }

  /** Put users in place as if created earlier (for duplicate tests). */
  seed(users: readonly { userName: string; email: string }[], idType: 'string' | 'number'): void {
    for (const u of users) this.#add({ id: this.#id(idType), ...u, fields: { ...u } });
  }

  /** `POST /users`: the HTTP status and JSON body Certification answers. */
  createBatch(rawBody: string, knobs: CertSimBackendKnobs): { status: number; json: unknown } {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { status: 400, json: { message: BATCH_SIZE_MESSAGE } };
    }
    const batch = z.array(looseUser).min(1).max(1000).safeParse(body);
    if (!batch.success) return { status: 400, json: { message: BATCH_SIZE_MESSAGE } };
    const successResults: { id: string | number; action: string; username: string }[] = [];
    const failureResults: { messages: string[]; username: string }[] = [];
    for (const user of batch.data) {
      const messages = validate(user, knobs.roleTypes);
      const userName = str(user.userName) ?? '';
      const email = str(user.email) ?? '';
      if (userName && this.#taken.userNames.has(userName.toLowerCase())) messages.push(DUPLICATE_USER_NAME);
      if (email && this.#taken.emails.has(email.toLowerCase())) messages.push(DUPLICATE_EMAIL);
      if (messages.length > 0) {
        failureResults.push({ messages, username: userName });
        continue;
      }
      const { password, ...fields } = user;
      const id = this.#id(knobs.idType);
      this.#add({ id, userName, email, fields });
      this.passwords.set(userName, str(password) ?? '');
      successResults.push({ id, action: 'Created', username: userName });
    }
    const s = successResults.length;
    const f = failureResults.length;
    const status = f === 0 ? 200 : s === 0 ? 400 : knobs.mixedBatchStatus;
    return {
      status,
      json: {
        [knobs.responseSpelling]: s,
        failureCount: f,
        failureResults,
        successResults,
        totalProcessed: s + f,
      },
    };
  }

  #add(user: CertSimUser): void {
    this.users.push(user);
    this.#taken.userNames.add(user.userName.toLowerCase());
    this.#taken.emails.add(user.email.toLowerCase());
  }

  #id(idType: 'string' | 'number'): string | number {
    const n = this.#nextId++;
    return idType === 'number' ? n : randomUUID();
  }
}
