/**
 * The requester edits a pending request: the same form, the same rules, then one conditional write
 * that replaces the payload and its approval hash, resets the approvals of the earlier version (they
 * bind to the hash) and tells the approvers in the thread.
 */
import type { Actor } from '../domain/approval-policy.ts';
import { readFacts } from '../domain/facts.ts';
import type { AccessRequest, Json } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { FormValues } from '../vendors/provisioner.ts';
import type { FlowDeps } from './deps.ts';
import { precheckJob, renderCardJob, replyJob } from './jobs.ts';
import { JUSTIFICATION_FIELD } from './justification.ts';
import { heldPasswords, parseRequest } from './submit-request.ts';
import { vendorEntry } from './vendor-entry.ts';

export interface EditResult {
  request: AccessRequest;
  /** False when the form came back unchanged: nothing was written. */
  changed: boolean;
  approvalsReset: number;
}

/** Why `actor` may not edit `req`, or null when they may. */
export function editRefusal(req: AccessRequest, actor: Pick<Actor, 'userId' | 'teamId'>): string | null {
  if (actor.teamId !== req.teamId) return 'This request belongs to another Slack workspace.';
  if (actor.userId !== req.requesterId) return 'Only the requester can edit this request.';
  if (req.status !== 'PENDING') return 'Only a request still waiting for approval can be edited.';
  // Bulk requests, and those stored before Edit existed, keep no form to reopen.
  if (!readFacts(req.facts).form)
    return 'This request cannot be edited (a bulk request, or one sent before editing existed): cancel it and submit it again.';
  return null;
}

/** The stored form values (and justification) the Edit modal opens with. @throws NotAllowedError */
export async function editableValues(
  deps: FlowDeps,
  requestId: string,
  actor: Actor,
): Promise<{ request: AccessRequest; values: FormValues }> {
  const req = await deps.store.getRequest(requestId);
  const refusal = editRefusal(req, actor);
  if (refusal) throw new NotAllowedError(`${refusal} Nothing was changed.`);
  const facts = readFacts(req.facts);
  return { request: req, values: { ...facts.form, [JUSTIFICATION_FIELD]: facts.justification ?? null } };
}

/** Field ids whose value differs between two forms (the audit names them; never the values of secrets). */
function changedFields(before: FormValues, after: FormValues): string[] {
  const norm = (v: FormValues[string]) => JSON.stringify(v ?? null);
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...ids].filter((id) => norm(before[id]) !== norm(after[id])).sort();
}

/**
 * @throws ValidationError (per field; nothing written), NotAllowedError (not the requester, not
 * pending), TransitionConflictError (decided meanwhile)
 */
export async function editRequest(
  deps: FlowDeps,
  input: { requestId: string; actor: Actor; values: FormValues },
): Promise<EditResult> {
  const { request: req, values: before } = await editableValues(deps, input.requestId, input.actor);
  const entry = vendorEntry(deps, req.vendor);
  const parsed = parseRequest(entry, { values: input.values });
  const typed = Object.keys(parsed.passwords).length > 0;
  if (parsed.payloadHash === req.payloadHash && !typed)
    return { request: req, changed: false, approvalsReset: 0 };
  const after = { ...parsed.form, [JUSTIFICATION_FIELD]: parsed.justification || null };
  const now = deps.clock.now();
  const held = heldPasswords(parsed.passwords, now);
  const {
    precheck: _stale,
    justification: _old,
    ...kept
  } = req.facts !== null && typeof req.facts === 'object' && !Array.isArray(req.facts) ? req.facts : {};
  const subject = entry.provisioner.describe(parsed.payload).subject;
  const { request, resetApprovers } = await deps.store.editRequest({
    id: req.id,
    expected: { status: 'PENDING', version: req.version },
    payload: parsed.payload,
    payloadHash: parsed.payloadHash,
    heldPasswords: held ?? null,
    at: now,
    write: (reset) => ({
      facts: {
        ...kept,
        ...(parsed.justification ? { justification: parsed.justification } : {}),
        form: (parsed.form ?? {}) as Json,
        edited: { at: now.toISOString(), approvalsReset: reset.length },
      },
      audit: {
        actor: input.actor.userId,
        action: 'edited',
        detail: {
          subject,
          changed: changedFields(before, after),
          approvalsReset: reset.length,
          ...(reset.length ? { resetApprovers: [...reset] } : {}),
          ...(parsed.justification ? { justification: parsed.justification } : {}),
        },
      },
      jobs: [
        renderCardJob(req.id),
        replyJob(req.id, {
          type: 'note',
          by: input.actor.userId,
          toApprovers: true,
          text: editNote(reset.length),
        }),
        precheckJob(req.id),
      ],
    }),
  });
  // After the caller's continuation: the edit modal's ack goes out before the line and the wake.
  setImmediate(() => {
    deps.log.info({ requestId: req.id, approvalsReset: resetApprovers.length }, 'request edited');
    deps.wake();
  });
  return { request, changed: true, approvalsReset: resetApprovers.length };
}

const editNote = (reset: number) =>
  reset === 0
    ? 'edited this request. Please review the updated card before deciding.'
    : `edited this request, which reset ${reset} approval${reset === 1 ? '' : 's'}. Please review the updated card and approve again.`;
