/**
 * In-memory PJM Account Manager data for the simulator: accounts, users (one CSV row per user and
 * account), SSO users, and the registration rules of vendor-apis.md §6.1.
 */
import { z } from 'zod';

export const PJM_SIM_CSV_HEADER = [
  'Account ID',
  'Account',
  'Account shortname',
  'Last name',
  'First name',
  'Username',
  'Email',
  'Phone',
  'Employed as',
  'System account',
  'Lock Status',
  'Lock Timestamp',
  'User Status',
  'Single User/Multi Account',
] as const;

/** PJM's documented success text, verbatim (HTML link included). */
export const PJM_SIM_INFO_MESSAGE =
  'Your account and access request has been submitted to your Company Account Manager for approval. You will receive an email to create your password. If your request is urgent, please <a href="http://www.pjm.com/about-pjm/who-we-are/contact-us.aspx" target="_blank">Contact PJM</a>.';

export const pjmSimAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  emailDomains: z.array(z.string()).default([]),
  accessNames: z.array(z.string()).default([]),
});
export type PjmSimAccount = z.input<typeof pjmSimAccountSchema>;

export const pjmSimUserSchema = z.object({
  username: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string().default(''),
  employedAs: z.string().default('Employee'),
  systemAccount: z.boolean().default(false),
  lockStatus: z.string().default('No'),
  lockTimestamp: z.string().default(''),
  status: z.enum(['Active', 'Inactive', 'Pending']).default('Active'),
  /** Account shortnames. */
  accounts: z.array(z.string()).min(1),
});
export type PjmSimUser = z.input<typeof pjmSimUserSchema>;
type StoredUser = z.output<typeof pjmSimUserSchema>;

export const pjmSimSsoUserSchema = z.object({
  username: z.string(),
  password: z.string(),
  hasApiAccess: z.boolean().default(true),
  certApproved: z.boolean().default(true),
});
export type PjmSimSsoUser = z.input<typeof pjmSimSsoUserSchema>;

const EMPLOYED_AS = ['Agent', 'Employee', 'Contractor', 'Consultant'];
const REQUIRED = ['username', 'firstName', 'lastName', 'email', 'employer', 'employedAs'] as const;
const registrationBody = z.record(z.string(), z.unknown());

/** `*` = any run of characters; otherwise a whole, case-insensitive match. */
function matches(pattern: string | null, value: string): boolean {
  if (pattern === null) return true;
  const re = pattern
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 'i').test(value);
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export class PjmSimStore {
  readonly accounts = new Map<string, z.output<typeof pjmSimAccountSchema>>();
  readonly users = new Map<string, StoredUser>();
  readonly ssoUsers = new Map<string, z.output<typeof pjmSimSsoUserSchema>>();

  clear(): void {
    this.accounts.clear();
    this.users.clear();
    this.ssoUsers.clear();
  }

  seedAccount(a: PjmSimAccount): void {
    const account = pjmSimAccountSchema.parse(a);
    this.accounts.set(account.shortName.toUpperCase(), account);
  }

  seedUser(u: PjmSimUser): void {
    const user = pjmSimUserSchema.parse(u);
    this.users.set(user.username.toLowerCase(), user);
  }

  seedSsoUser(u: PjmSimSsoUser): void {
    const user = pjmSimSsoUserSchema.parse(u);
    this.ssoUsers.set(user.username.toLowerCase(), user);
  }

  /** Pending registration → active user (the CAM approved it). */
  approve(username: string): boolean {
    const user = this.users.get(username.toLowerCase());
    if (user?.status !== 'Pending') return false;
    user.status = 'Active';
    return true;
  }

  /** Validate a registration body, collecting every violation; create a pending user when clean. */
  register(raw: unknown): { status: 200 | 400; messages: string[] } {
    const parsed = registrationBody.safeParse(raw);
    if (!parsed.success) return { status: 400, messages: ['Invalid request body'] };
    const body = parsed.data;
    const str = (k: string) => (typeof body[k] === 'string' ? String(body[k]).trim() : '');
    const errors: string[] = [];
    for (const k of REQUIRED) if (!str(k)) errors.push(`${k} is required`);
    const username = str('username');
    if (username && (username.length < 6 || !/^[A-Za-z0-9]/.test(username))) {
      errors.push('Username must be at least 6 characters and cannot start with a special character');
    }
    if (username && this.users.has(username.toLowerCase()))
      errors.push(`Username ${username} already exists`);
    const employedAs = str('employedAs');
    if (employedAs && !EMPLOYED_AS.includes(employedAs))
      errors.push(`Employed As ${employedAs} is not valid`);
    const employer = str('employer');
    const account = this.accounts.get(employer.toUpperCase());
    if (employer && !account) errors.push(`Account ${employer} is not valid`);
    const email = str('email');
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    if (account && email && !account.emailDomains.some((d) => d.toLowerCase() === domain)) {
      errors.push(`Email ${email} is not authorized for ${account.name}`);
    }
    const access = Array.isArray(body.accountAccess) ? body.accountAccess : [];
    for (const name of access) {
      if (account && (typeof name !== 'string' || !account.accessNames.includes(name))) {
        // PJM's documented text reads "…is not valid for Account Test Company, LLC": the account's full name.
        errors.push(`Access ${String(name)} is not valid for ${account.name}`);
      }
    }
    if (errors.length > 0 || !account) return { status: 400, messages: errors };
    this.seedUser({
      username,
      firstName: str('firstName'),
      lastName: str('lastName'),
      email,
      phone: str('phone'),
      employedAs,
      status: 'Pending',
      accounts: [account.shortName],
    });
    return { status: 200, messages: [PJM_SIM_INFO_MESSAGE] };
  }

  /** userSearch rows as CSV (CRLF, RFC 4180 quoting); `columns` chooses order and extra columns. */
  search(q: URLSearchParams, opts: { pendingVisible: boolean; columns: readonly string[] }): string {
    const activeOnly = (q.get('activeOnly') ?? 'T').toUpperCase() !== 'F';
    const systemId = q.get('systemId')?.toUpperCase();
    const lines = [opts.columns.map(csvField).join(',')];
    for (const u of this.users.values()) {
      if (activeOnly && u.status !== 'Active') continue;
      if (!activeOnly && u.status === 'Pending' && !opts.pendingVisible) continue;
      if ((systemId === 'T' && !u.systemAccount) || (systemId === 'F' && u.systemAccount)) continue;
      const userMatch =
        matches(q.get('username'), u.username) &&
        matches(q.get('firstName'), u.firstName) &&
        matches(q.get('lastName'), u.lastName) &&
        matches(q.get('emailAddress'), u.email) &&
        matches(q.get('phone'), u.phone);
      if (!userMatch) continue;
      for (const short of u.accounts) {
        const a = this.accounts.get(short.toUpperCase());
        if (!a) continue;
        if (!matches(q.get('accountId'), a.id) || !matches(q.get('accountName'), a.name)) continue;
        if (!matches(q.get('accountShortName'), a.shortName)) continue;
        const row: Record<string, string> = {
          'Account ID': a.id,
          Account: a.name,
          'Account shortname': a.shortName,
          'Last name': u.lastName,
          'First name': u.firstName,
          Username: u.username,
          Email: u.email,
          Phone: u.phone,
          'Employed as': u.employedAs,
          'System account': u.systemAccount ? 'Yes' : 'No',
          'Lock Status': u.lockStatus,
          'Lock Timestamp': u.lockTimestamp,
          'User Status': u.status,
          'Single User/Multi Account': u.accounts.length > 1 ? 'Yes' : 'No',
        };
        lines.push(opts.columns.map((c) => csvField(row[c] ?? '')).join(','));
      }
    }
    return `${lines.join('\r\n')}\r\n`;
  }
}
