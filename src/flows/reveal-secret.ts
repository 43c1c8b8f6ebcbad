/**
 * The requester reveals a credential once, in two phases (issue 8 §3): claim it, show it, and only
 * then delete it. A modal that does not open (Slack's trigger expired) releases the claim, so the
 * next click still works; every phase is audited.
 */
import type { Actor } from '../domain/approval-policy.ts';
import { readFacts } from '../domain/facts.ts';
import type { FlowDeps } from './deps.ts';
import { vendorEntry } from './vendor-entry.ts';

/** Long enough for one views.open; a click that died holding the claim frees it after this. */
const CLAIM_MS = 30_000;

export interface RevealedSecret {
  requestId: string;
  actorId: string;
  label: string;
  subject: string;
  value: string;
}

/** Phase one. Null when it is not this user's, was already revealed, expired, or another click holds it. */
export async function claimSecret(
  deps: FlowDeps,
  requestId: string,
  actor: Actor,
): Promise<RevealedSecret | null> {
  const req = await deps.store.getRequest(requestId);
  if (req.teamId !== actor.teamId) return null;
  const now = deps.clock.now();
  const value = await deps.store.claimSecret(
    requestId,
    actor.userId,
    now,
    new Date(now.getTime() + CLAIM_MS),
  );
  if (value === null) {
    await deps.store.appendAudit(requestId, { actor: actor.userId, action: 'secret_reveal_refused' }, now);
    return null;
  }
  const facts = readFacts(req.facts);
  const { provisioner } = vendorEntry(deps, req.vendor);
  return {
    requestId,
    actorId: actor.userId,
    label: facts.secretLabel ?? 'Secret',
    subject: provisioner.describe(req.payload).subject,
    value,
  };
}

/** Phase two, once the modal showed it: delete it for good. */
export async function confirmSecretShown(deps: FlowDeps, secret: RevealedSecret): Promise<void> {
  await deps.store.deleteSecret(secret.requestId, 'reveal');
  await deps.store.appendAudit(
    secret.requestId,
    { actor: secret.actorId, action: 'secret_revealed', detail: secret.label },
    deps.clock.now(),
  );
  deps.log.info({ requestId: secret.requestId }, 'secret revealed');
}

/** The modal did not open (`reason`: Slack's error code): keep the secret for the next click. */
export async function releaseSecret(deps: FlowDeps, secret: RevealedSecret, reason: string): Promise<void> {
  await deps.store.releaseSecret(secret.requestId);
  await deps.store.appendAudit(
    secret.requestId,
    {
      actor: secret.actorId,
      action: 'secret_reveal_failed',
      detail: { reason, kept: 'the secret was not shown and waits for another click' },
    },
    deps.clock.now(),
  );
  deps.log.warn({ requestId: secret.requestId, reason }, 'secret reveal failed; kept for another click');
}
