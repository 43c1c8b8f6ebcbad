/**
 * Turning userSearch results into answers: the duplicate pre-check of a registration (vendor-apis.md
 * §1.7) and the /lookup reply, in plain text (the views escape PJM's values).
 */
import { ValidationError } from '../../errors.ts';
import type { LookupResult, LookupUser, PrecheckResult } from '../provisioner.ts';
import type { PjmSession } from './pjm-client.ts';
import type { PjmAccount, PjmRegistration, PjmUser, PjmUserSearchQuery } from './pjm-schemas.ts';

/** Slack messages stay readable; the rest is summarised in truncatedNote. */
const MAX_LOOKUP_USERS = 10;

const accountName = (a: PjmAccount) => (a.shortName ? `${a.name} (${a.shortName})` : a.name);
const status = (u: PjmUser) =>
  [u.userStatus || 'status unknown', u.lockStatus && u.lockStatus !== 'No' ? `locked: ${u.lockStatus}` : '']
    .filter(Boolean)
    .join(', ');
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Does the username exist (any status, any account)? A user holding the same e-mail is only a
 * warning: PJM decides uniqueness by username.
 */
export async function pjmPrecheck(
  session: PjmSession,
  r: PjmRegistration,
  pendingVisibleInSearch: boolean,
  signal?: AbortSignal,
): Promise<PrecheckResult> {
  const byUsername = await session.searchUsers({ username: r.username, activeOnly: 'F' }, signal);
  const byEmail = await session.searchUsers({ emailAddress: r.email, activeOnly: 'F' }, signal);
  const notes: string[] = [];
  const existing = byUsername.find((u) => same(u.username, r.username));
  if (existing) {
    const accounts = existing.accounts.map(accountName).join('; ') || 'no account listed';
    notes.push(`${existing.username} already exists in PJM (${status(existing)}) — accounts: ${accounts}`);
  }
  for (const other of byEmail.filter((u) => same(u.email, r.email) && !same(u.username, r.username))) {
    notes.push(`${r.email} is already used by PJM user ${other.username} (${status(other)})`);
  }
  if (existing) return { state: 'exists', notes };
  if (pendingVisibleInSearch) return { state: 'absent', notes };
  notes.push(
    `No PJM user ${r.username} found, but registrations awaiting Company Account Manager approval may not be visible in PJM's search`,
  );
  return { state: 'unknown', notes };
}

/** `@` → e-mail; a space → first and last name; otherwise username. Inactive users are shown too. */
export function pjmLookupQuery(query: string): PjmUserSearchQuery {
  const q = query.trim();
  if (!q)
    throw new ValidationError({ query: 'Give an e-mail address, a username, or a first and last name.' });
  if (q.includes('@')) return { emailAddress: q, activeOnly: 'F' };
  const words = q.split(/\s+/);
  if (words.length > 1) return { firstName: words[0], lastName: words.slice(1).join(' '), activeOnly: 'F' };
  return { username: q, activeOnly: 'F' };
}

function lookupUser(u: PjmUser): LookupUser {
  const name = `${u.firstName} ${u.lastName}`.trim();
  return {
    title: name ? `${name} (${u.username})` : u.username,
    lines: [
      { label: 'E-mail', value: u.email || '—' },
      { label: 'Phone', value: u.phone || '—' },
      { label: 'Employed as', value: u.employedAs || '—' },
      { label: 'Status', value: status(u) },
      { label: 'System account', value: u.systemAccount || '—' },
    ],
    accounts: u.accounts.map((a) => (a.id ? `${accountName(a)} — id ${a.id}` : accountName(a))),
  };
}

export function pjmLookupResult(users: PjmUser[]): LookupResult {
  const shown = users.slice(0, MAX_LOOKUP_USERS).map(lookupUser);
  return users.length > shown.length
    ? { users: shown, truncatedNote: `showing ${shown.length} of ${users.length}` }
    : { users: shown };
}
