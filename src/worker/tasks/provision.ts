/**
 * Provisioning, and the one place where the create-call rules of reference §1.7, §2.7, §3.6 and §4
 * live: a create call is never repeated blindly.
 *
 * - Before a create (vendors with createPolicy 'precheck'), ask the vendor whether the user exists:
 *   found → done, nothing sent.
 * - `ambiguousSubmit` is stored BEFORE the create call goes out; if the call times out, the connection
 *   resets, or this process dies, the flag stays set. The next attempt then needs the pre-check to
 *   PROVE the user absent before sending again; otherwise the request goes to NEEDS_ATTENTION.
 * - Vendors that refuse duplicates per user ('resubmit') are simply sent again; a refusal after an
 *   ambiguous attempt is shown as needing attention, not as a failure (the first send may have worked).
 */
import { type Facts, factsPatch, type Outcome, readFacts } from '../../domain/facts.ts';
import type { AccessRequest, Json, RequestStatus } from '../../domain/request.ts';
import { RetryLaterError, VendorError } from '../../errors.ts';
import type { VendorEntry } from '../../flows/deps.ts';
import { notifyJob, renderCardJob, replyJob, resultsFileJob, secretNoticeJob } from '../../flows/jobs.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job, NewJob } from '../../store/store.ts';
import { withDeadline } from '../../vendors/call-deadline.ts';
import type { ItemResult, SubmitOutcome } from '../../vendors/provisioner.ts';
import { backoffMs, RETRY_POLICIES } from '../retry-policies.ts';
import type { TaskHelpers } from '../worker.ts';
import { type CreatePayload, createPayload, revealOf } from './provision-passwords.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

const POLICY = RETRY_POLICIES.provision;
const CALL_TIMEOUT_MS = 120_000;

interface Step {
  ctx: TaskContext;
  job: Job;
  /** Fires when another worker took the job over, or this one is stopping. */
  signal: AbortSignal;
  entry: VendorEntry;
  req: AccessRequest;
  /** Whether an earlier attempt may have created the user without us learning it. */
  wasAmbiguous: boolean;
  /** Whether that is so now (this attempt's create call may have arrived). */
  ambiguous: boolean;
  /** A batch in parts broke off at `call`: the users of the calls that had answered. */
  partial?: { call: number; calls: number; items: ItemResult[] };
}

export async function provisionTask(ctx: TaskContext, job: Job, { signal }: TaskHelpers): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  if (req.status !== 'APPROVED' && req.status !== 'PROVISIONING') return;
  const wasAmbiguous = readFacts(req.facts).ambiguousSubmit === true;
  const step: Step = {
    ctx,
    job,
    signal,
    req,
    entry: vendorEntry(ctx, req.vendor),
    wasAmbiguous,
    ambiguous: wasAmbiguous,
  };
  if (req.status === 'APPROVED') {
    await update(
      step,
      'PROVISIONING',
      { progress: { attempt: job.attempts, note: 'starting' } },
      'provisioning_started',
    );
  }
  try {
    await attempt(step);
  } catch (e) {
    // Aborted: the new holder of the job (or the next replica) decides; this worker says nothing.
    if (!(e instanceof VendorError) || signal.aborted) throw e;
    await onVendorError(step, e);
  }
}

async function attempt(step: Step): Promise<void> {
  const { provisioner } = step.entry;

  if (provisioner.createPolicy === 'precheck') {
    step.signal.throwIfAborted();
    const pre = await withDeadline(CALL_TIMEOUT_MS, step.signal, (s) =>
      provisioner.precheck(step.req.payload, s),
    );
    if (pre.state === 'exists') {
      const headline = step.wasAmbiguous
        ? 'The account exists: the earlier attempt went through'
        : 'Already exists — nothing was created';
      const lines = [...pre.notes];
      if (step.wasAmbiguous) {
        lines.push(
          'The vendor’s answer to that attempt was lost; anything it carried (such as a token) must be re-issued at the vendor.',
        );
      }
      await finish(step, 'SUCCEEDED', { kind: 'exists', headline, lines });
      return;
    }
    if (step.wasAmbiguous && pre.state !== 'absent') {
      await finish(step, 'NEEDS_ATTENTION', {
        kind: 'attention',
        headline: 'Could not tell whether the account was created',
        lines: [
          'An earlier create call may have reached the vendor, and the vendor cannot yet show whether it did.',
          ...pre.notes,
          'Check at the vendor, then use “Check again and retry”; nothing is sent again until the user is proven absent.',
        ],
      });
      return;
    }
  }

  // Written before the call: if we never learn the answer, the next attempt knows to check first.
  step.ambiguous = true;
  step.signal.throwIfAborted();
  await update(step, 'PROVISIONING', {}, 'create_call_started');
  step.signal.throwIfAborted();
  let create: CreatePayload;
  try {
    create = await createPayload(step.ctx, step.entry, step.req);
  } catch (e) {
    if (e instanceof VendorError && !e.requestSent) step.ambiguous = step.wasAmbiguous;
    throw e;
  }
  const outcome = await send(step, create.payload);
  step.ambiguous = false;
  await onOutcome(step, outcome, create.generated);
}

/** One create call, or each part of a batch larger than one call takes (parts below). */
async function send(step: Step, payload: Json): Promise<SubmitOutcome> {
  const { provisioner } = step.entry;
  const parts = provisioner.parts?.(payload) ?? [payload];
  if (parts.length > 1 && provisioner.outcomeOf) {
    return provisioner.outcomeOf(await sendParts(step, parts));
  }
  try {
    return await withDeadline(CALL_TIMEOUT_MS, step.signal, (s) =>
      provisioner.submit(payload, s, { resend: step.wasAmbiguous }),
    );
  } catch (e) {
    if (e instanceof VendorError && !e.requestSent) step.ambiguous = step.wasAmbiguous;
    throw e;
  }
}

/**
 * A batch in several create calls under one approval. Each call's results are stored as it returns
 * (facts.parts), in the same write that marks the next call as in flight, so a later attempt sends
 * only the calls not yet answered: a call that returned is never sent again, and only the one that
 * was in flight when an attempt broke off is re-sent as such (`resend`).
 */
async function sendParts(step: Step, parts: readonly Json[]): Promise<ItemResult[]> {
  const { provisioner } = step.entry;
  const done: Record<string, ItemResult[]> = { ...readFacts(step.req.facts).parts?.done };
  let resend = step.wasAmbiguous;
  for (const [i, part] of parts.entries()) {
    if (done[i]) continue;
    step.signal.throwIfAborted();
    let outcome: SubmitOutcome;
    try {
      outcome = await withDeadline(CALL_TIMEOUT_MS, step.signal, (s) =>
        provisioner.submit(part, s, { resend }),
      );
    } catch (e) {
      if (e instanceof VendorError) {
        if (!e.requestSent) step.ambiguous = resend;
        step.partial = { call: i + 1, calls: parts.length, items: parts.flatMap((_, j) => done[j] ?? []) };
      }
      throw e;
    }
    resend = false;
    done[i] = outcome.items ?? [];
    const more = parts.some((_, j) => !done[j]);
    step.ambiguous = more;
    const note = `create call ${i + 1} of ${parts.length} answered`;
    await update(
      step,
      'PROVISIONING',
      { parts: { count: parts.length, done }, progress: { attempt: step.job.attempts, note } },
      'create_call_answered',
      [renderCardJob(step.req.id)],
      { call: i + 1, calls: parts.length, users: done[i].length },
    );
    step.ctx.log.info({ requestId: step.req.id, call: i + 1, calls: parts.length }, 'create call answered');
  }
  return parts.flatMap((_, j) => done[j] ?? []);
}

async function onOutcome(
  step: Step,
  outcome: SubmitOutcome,
  generated: Readonly<Record<string, string>> | null,
): Promise<void> {
  if (outcome.kind === 'done') {
    const extra: Partial<Facts> = {};
    const secret = revealOf(outcome.secret, generated, outcome.items);
    if (secret) {
      const expires = new Date(step.ctx.clock.now().getTime() + step.entry.secretTtlMinutes * 60_000);
      await step.ctx.store.putSecret(step.req.id, step.req.requesterId, secret.value, expires);
      extra.secretLabel = secret.label;
      extra.secretExpiresAt = expires.toISOString();
    }
    await finish(
      step,
      'SUCCEEDED',
      {
        kind: 'done',
        label: outcome.label,
        headline: outcome.headline,
        lines: outcome.lines,
        ...items(outcome),
      },
      extra,
      secret ? [secretNoticeJob(step.req.id)] : [],
    );
    return;
  }
  if (step.wasAmbiguous) {
    await finish(step, 'NEEDS_ATTENTION', {
      kind: 'attention',
      headline: 'Refused on a re-send — the first attempt may have worked',
      lines: [...outcome.messages, 'Verify at the vendor before retrying.'],
      ...items(outcome),
    });
    return;
  }
  await finish(step, 'FAILED', {
    kind: 'rejected',
    headline: outcome.headline,
    lines: outcome.messages,
    ...items(outcome),
  });
}

const items = (o: SubmitOutcome) => (o.items ? { items: o.items } : {});

async function onVendorError(step: Step, e: VendorError): Promise<void> {
  const { job, entry } = step;
  const name = entry.provisioner.displayName;
  const sent = step.partial?.items.length ?? 0;
  if (step.partial && sent > 0 && e.kind !== 'transient' && e.kind !== 'throttle') {
    // Users of the calls that answered exist now: never FAILED, and a retry sends only the rest.
    await finish(step, 'NEEDS_ATTENTION', {
      kind: 'attention',
      headline: `${name}: create call ${step.partial.call} of ${step.partial.calls} did not go through, after ${sent} users were sent`,
      lines: [e.userText, 'The calls that answered are kept: “Check again and retry” sends only the rest.'],
    });
    return;
  }
  if ((e.kind === 'validation' || e.kind === 'duplicate') && !step.ambiguous) {
    await finish(step, 'FAILED', {
      kind: 'rejected',
      headline: `${name} refused the request`,
      lines: [e.userText],
    });
    return;
  }
  if (e.kind === 'validation' || e.kind === 'duplicate') {
    await finish(step, 'NEEDS_ATTENTION', {
      kind: 'attention',
      headline: 'Refused on a re-send — the first attempt may have worked',
      lines: [e.userText, 'Verify at the vendor before retrying.'],
    });
    return;
  }
  if (e.kind === 'auth' || e.kind === 'unknown') {
    await finish(step, 'NEEDS_ATTENTION', {
      kind: 'attention',
      headline: `${name} could not be used: ${e.kind === 'auth' ? 'sign-in or certificate problem' : 'unexpected answer'}`,
      lines: [e.userText, 'An admin can fix the connection settings and use “Check again and retry”.'],
    });
    return;
  }
  // transient or throttle: run again later, within the budget.
  if (job.attempts >= POLICY.maxAttempts) {
    await finish(step, 'NEEDS_ATTENTION', {
      kind: 'attention',
      headline: `${name} did not answer after ${job.attempts} attempts`,
      lines: [
        e.userText,
        'Use “Check again and retry” when the vendor is back; it checks before sending again.',
      ],
    });
    return;
  }
  const delay = e.retryAfterMs ?? backoffMs(POLICY, job.attempts);
  const note = `${e.requestSent ? 'no answer from' : e.kind === 'throttle' ? 'throttled by' : 'could not reach'} ${name}; trying again in ${Math.ceil(delay / 1000)} s`;
  await update(step, 'PROVISIONING', { progress: { attempt: job.attempts, note } }, 'attempt_failed', [
    renderCardJob(step.req.id),
    replyJob(step.req.id, {
      type: 'note',
      text: `Attempt ${job.attempts} of ${POLICY.maxAttempts}: ${note}.`,
    }),
  ]);
  throw new RetryLaterError(delay, note);
}

async function finish(
  step: Step,
  to: RequestStatus,
  outcome: Outcome,
  extra: Partial<Facts> = {},
  more: NewJob[] = [],
): Promise<void> {
  if (to !== 'NEEDS_ATTENTION') step.ambiguous = false;
  const partItems = step.partial?.items ?? [];
  const full = outcome.items || partItems.length === 0 ? outcome : { ...outcome, items: partItems };
  // A batch's per-user results also go to the thread as a file (the reply holds the summary).
  const file = (full.items?.length ?? 0) > 1 ? [resultsFileJob(step.req.id)] : [];
  await update(step, to, { ...extra, outcome: full }, to.toLowerCase(), [
    renderCardJob(step.req.id),
    replyJob(step.req.id, { type: 'outcome' }),
    ...file,
    notifyJob(step.req.id),
    ...more,
  ]);
  step.ctx.log.info({ requestId: step.req.id, status: to, outcome: outcome.kind }, 'provisioning finished');
}

async function update(
  step: Step,
  to: RequestStatus,
  facts: Partial<Facts>,
  action: string,
  jobs = [renderCardJob(step.req.id)],
  detail: Record<string, Json> = {},
): Promise<AccessRequest> {
  const next = await step.ctx.store.transition({
    id: step.req.id,
    expected: { status: step.req.status, version: step.req.version },
    to,
    facts: factsPatch({ ...facts, ambiguousSubmit: step.ambiguous }),
    audit: { actor: 'system', action, detail: { attempt: step.job.attempts, ...detail } },
    jobs,
    at: step.ctx.clock.now(),
  });
  step.ctx.wake();
  step.req = next;
  return next;
}
