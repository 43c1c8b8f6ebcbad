/**
 * /lookup: ask the vendor directly (read-only), answer the asker alone. It shows people's e-mail,
 * phone and accounts, so it answers only those the vendor's lookup policy names, at most
 * `lookupsPerMinute` times a minute per user, and every lookup (and refusal) is audited.
 */
import { canLookUp, type LookupActor, whoMayLookUp } from '../domain/lookup-policy.ts';
import type { VendorId } from '../domain/request.ts';
import { NotAllowedError, ValidationError } from '../errors.ts';
import type { LookupResult } from '../vendors/provisioner.ts';
import type { FlowDeps } from './deps.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { vendorEntry } from './vendor-entry.ts';

const SETTING_PREFIX: Record<VendorId, string> = { pjm: 'PJM', pam360: 'PAM360', cert: 'CERT' };

export function lookupVendors(deps: Pick<FlowDeps, 'vendors'>): VendorId[] {
  return [...deps.vendors.entries()].filter(([, e]) => e.provisioner.lookup).map(([id]) => id);
}

export interface LookupInput {
  vendor: VendorId;
  query: string;
  actor: LookupActor;
}

/** @throws NotAllowedError (not on the lookup list, or too many lookups), ValidationError (query) */
export async function lookup(
  deps: FlowDeps,
  input: LookupInput,
  limiter: RateLimiter,
): Promise<LookupResult> {
  const entry = vendorEntry(deps, input.vendor);
  const { provisioner } = entry;
  if (!provisioner.lookup) throw new NotAllowedError(`${provisioner.displayName} has no lookup.`);
  const now = deps.clock.now();
  const audit = (action: string, detail: Record<string, string>) =>
    deps.store.appendAudit(
      null,
      { actor: input.actor.userId, action, detail: { vendor: input.vendor, ...detail } },
      now,
    );
  if (!canLookUp(input.actor, entry.lookup, entry.policy, deps.adminUsers)) {
    await audit('lookup_refused', { reason: 'not on the lookup list' });
    const prefix = SETTING_PREFIX[input.vendor];
    throw new NotAllowedError(
      `/lookup ${input.vendor} shows people's e-mail, phone and accounts, so only ${provisioner.displayName} approvers, admins and the people named in ${prefix}_LOOKUP_USERS or ${prefix}_LOOKUP_GROUPS may use it. To be added, ask an admin to put your user id in ${prefix}_LOOKUP_USERS (or your user group in ${prefix}_LOOKUP_GROUPS).`,
      whoMayLookUp(entry.lookup, entry.policy),
    );
  }
  const rate = limiter.take(input.actor.userId);
  if (!rate.ok) {
    const seconds = Math.max(1, Math.ceil((rate.retryAt.getTime() - now.getTime()) / 1000));
    await audit('lookup_refused', { reason: 'rate limited' });
    throw new NotAllowedError(
      `You have used /lookup as often as allowed in one minute. Try again in ${seconds} s (at ${rate.retryAt.toISOString().slice(11, 19)} UTC).`,
    );
  }
  const q = input.query.trim();
  if (q.length < 2) throw new ValidationError({ query: 'Give at least two characters to search for.' });
  await audit('lookup', { query: q });
  deps.log.info({ vendor: input.vendor, actor: input.actor.userId }, 'lookup');
  return provisioner.lookup(q, AbortSignal.timeout(15_000));
}
