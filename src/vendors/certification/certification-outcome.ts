/**
 * Create Users results → what the thread says. The body decides, not the HTTP status: a 400 may
 * still have created some users (reference §3.4). On a re-send after an ambiguous failure, a
 * per-user "already exists" refusal probably means our earlier attempt created that user, but with no
 * read endpoint nobody can confirm it, so such users are reported "exists — verify manually" (§3.6).
 */
import type { ItemResult, SubmitOutcome } from '../provisioner.ts';
import type { CreateUsersResult } from './certification-client.ts';
import type { CertStoredUser } from './certification-schemas.ts';

/** Duplicate wording: the seed's "A user with the given username was found." and the usual forms. */
const DUPLICATE = /already exist|duplicate|in use|was found/i;

export const VERIFY_NOTE = 'exists — verify manually (an earlier attempt may have created this user)';
const NO_RESULT = 'Certification returned no result for this user — verify manually';

type Verdict = 'created' | 'exists' | 'failed';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function certOutcome(
  users: readonly CertStoredUser[],
  result: CreateUsersResult,
  resend: boolean,
): SubmitOutcome {
  const created = new Map(result.created.map((r) => [r.username.toLowerCase(), r]));
  const failed = new Map(result.failed.map((r) => [r.username.toLowerCase(), r]));
  const items: ItemResult[] = users.map((u) => {
    const key = u.userName.toLowerCase();
    const ok = created.get(key);
    if (ok) return { subject: u.userName, ok: true, id: ok.id, messages: [] };
    const messages = failed.get(key)?.messages ?? [NO_RESULT];
    if (resend && messages.length > 0 && messages.every((m) => DUPLICATE.test(m))) {
      return { subject: u.userName, ok: false, messages: [...messages, VERIFY_NOTE] };
    }
    return { subject: u.userName, ok: false, messages };
  });
  return certOutcomeOf(items);
}

const verdictOf = (i: ItemResult): Verdict =>
  i.ok ? 'created' : i.messages.includes(VERIFY_NOTE) ? 'exists' : 'failed';

/** Counts and lines from every user's result (one create call, or a batch sent in several). */
export function certOutcomeOf(items: readonly ItemResult[]): SubmitOutcome {
  const verdicts = items.map(verdictOf);
  const count = (v: Verdict) => verdicts.filter((x) => x === v).length;
  const [nCreated, nExists, nFailed] = [count('created'), count('exists'), count('failed')];
  const parts = [`${nCreated} created`];
  if (nExists > 0) parts.push(`${plural(nExists, 'exists', 'exist')} — verify manually`);
  if (nFailed > 0 || nCreated + nExists === 0) parts.push(`${nFailed} failed`);
  const headline = parts.join(', ');
  // Nothing created by this send is a refusal even on a re-send: the worker, which durably knows
  // that an earlier send was ambiguous, turns it into NEEDS_ATTENTION rather than FAILED.
  if (nCreated === 0) {
    return {
      kind: 'rejected',
      headline,
      messages: items.flatMap((i) => i.messages.map((m) => `${i.subject}: ${m}`)),
      items: [...items],
    };
  }
  const label = nCreated === items.length ? 'Created in Certification' : 'Partly created in Certification';
  return { kind: 'done', label, headline, lines: items.map(line), items: [...items] };
}

function line(item: ItemResult): string {
  if (item.ok) return `${item.subject}: created${item.id ? ` (id ${item.id})` : ''}`;
  const said = item.messages.filter((m) => m !== VERIFY_NOTE).join(' ');
  return item.messages.includes(VERIFY_NOTE)
    ? `${item.subject}: exists — verify manually. Certification said: ${said}`
    : `${item.subject}: failed. ${said}`;
}
