/** The requester reveals a credential once; the reveal is audited, the value deleted. */
import type { Actor } from '../domain/approval-policy.ts';
import { readFacts } from '../domain/facts.ts';
import type { FlowDeps } from './deps.ts';
import { vendorEntry } from './vendor-entry.ts';

export interface RevealedSecret {
  label: string;
  subject: string;
  value: string;
}

/** Null when it is not this user's, was already revealed, or expired. */
export async function revealSecret(
  deps: FlowDeps,
  requestId: string,
  actor: Actor,
): Promise<RevealedSecret | null> {
  const req = await deps.store.getRequest(requestId);
  if (req.teamId !== actor.teamId) return null;
  const now = deps.clock.now();
  const value = await deps.store.takeSecret(requestId, actor.userId, now);
  if (value === null) {
    await deps.store.appendAudit(requestId, { actor: actor.userId, action: 'secret_reveal_refused' }, now);
    return null;
  }
  const facts = readFacts(req.facts);
  await deps.store.appendAudit(
    requestId,
    { actor: actor.userId, action: 'secret_revealed', detail: facts.secretLabel ?? 'secret' },
    now,
  );
  const { provisioner } = vendorEntry(deps, req.vendor);
  return { label: facts.secretLabel ?? 'Secret', subject: provisioner.describe(req.payload).subject, value };
}
