/**
 * The create-call rules as one table, over a fake Provisioner and an in-memory store: what the
 * pre-check says × how the create call ends × whether an earlier attempt was ambiguous. A rule
 * change fails here in milliseconds, without Slack, simulators or the worker loop.
 */
import { describe, expect, it } from 'vitest';
import { readFacts } from '../../../src/domain/facts.ts';
import { RetryLaterError, VendorError } from '../../../src/errors.ts';
import type { PrecheckResult, SubmitOutcome } from '../../../src/vendors/provisioner.ts';
import { provisionTask } from '../../../src/worker/tasks/provision.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import {
  approvedRequest,
  FakeMessaging,
  FakeProvisioner,
  runningJob,
  taskContext,
  useMemoryStore,
} from './task-fakes.ts';

type Pre = 'exists' | 'absent' | 'unknown';
type Submit = 'done' | 'rejected' | 'failed before sending' | 'failed after sending';

const PRECHECK: Record<Pre, PrecheckResult> = {
  exists: { state: 'exists', notes: ['found'] },
  absent: { state: 'absent', notes: [] },
  unknown: { state: 'unknown', notes: ['cannot tell'] },
};

const SUBMIT: Record<Submit, SubmitOutcome | VendorError> = {
  done: { kind: 'done', label: 'Created', headline: 'Created', lines: [] },
  rejected: { kind: 'rejected', headline: 'Refused', messages: ['user exists'] },
  'failed before sending': new VendorError({ vendor: 'fake', kind: 'transient', message: 'ECONNREFUSED' }),
  'failed after sending': new VendorError({
    vendor: 'fake',
    kind: 'transient',
    message: 'socket hang up',
    requestSent: true,
  }),
};

interface Expected {
  status: string;
  /** The outcome kind on a final status; 'retry' when the task asks to run again later. */
  result: string;
  calls: string;
  /** facts.ambiguousSubmit afterwards. */
  ambiguous: boolean;
}

/** The rules (reference §1.7, §2.7, §4): every combination for a vendor that pre-checks. */
function expected(pre: Pre, submit: Submit, earlier: boolean): Expected {
  if (pre === 'exists') return { status: 'SUCCEEDED', result: 'exists', calls: 'precheck', ambiguous: false };
  if (pre === 'unknown' && earlier)
    return { status: 'NEEDS_ATTENTION', result: 'attention', calls: 'precheck', ambiguous: true };
  const calls = 'precheck submit';
  if (submit === 'done') return { status: 'SUCCEEDED', result: 'done', calls, ambiguous: false };
  if (submit === 'rejected')
    return earlier
      ? { status: 'NEEDS_ATTENTION', result: 'attention', calls, ambiguous: false }
      : { status: 'FAILED', result: 'rejected', calls, ambiguous: false };
  if (submit === 'failed before sending')
    return { status: 'PROVISIONING', result: 'retry', calls, ambiguous: earlier };
  return { status: 'PROVISIONING', result: 'retry', calls, ambiguous: true };
}

const ROWS = (['exists', 'absent', 'unknown'] as const).flatMap((pre) =>
  (['done', 'rejected', 'failed before sending', 'failed after sending'] as const).flatMap((submit) =>
    [false, true].map((earlier) => ({ pre, submit, earlier, ...expected(pre, submit, earlier) })),
  ),
);

describe('provisioning rules (pre-check vendors)', () => {
  const storeOf = useMemoryStore();
  const clock = new FakeClock();

  const jobFor = (requestId: string) => runningJob(clock, 'provision', requestId);

  it.each(ROWS)(
    'pre-check $pre, create $submit, earlier ambiguous $earlier → $status ($result), calls: $calls',
    async ({ pre, submit, earlier, status, result, calls, ambiguous }) => {
      const vendor = new FakeProvisioner('precheck');
      vendor.precheckSteps = [PRECHECK[pre]];
      vendor.submitSteps = [SUBMIT[submit]];
      const ctx = taskContext(storeOf(), clock, captureLogger().log, vendor, new FakeMessaging());
      const id = await approvedRequest(storeOf(), clock, earlier ? { ambiguousSubmit: true } : {});
      const run = provisionTask(ctx, jobFor(id), { signal: new AbortController().signal });
      if (result === 'retry') await expect(run).rejects.toBeInstanceOf(RetryLaterError);
      else await run;
      const req = await storeOf().getRequest(id);
      const facts = readFacts(req.facts);
      expect(req.status).toBe(status);
      if (result !== 'retry') expect(facts.outcome?.kind).toBe(result);
      expect(vendor.calls.join(' ')).toBe(calls);
      expect(facts.ambiguousSubmit ?? false).toBe(ambiguous);
    },
  );

  it.each([
    { submit: 'done', earlier: true, status: 'SUCCEEDED' },
    { submit: 'rejected', earlier: false, status: 'FAILED' },
    { submit: 'rejected', earlier: true, status: 'NEEDS_ATTENTION' },
  ] as const)(
    'resubmit vendor: no pre-check; create $submit, earlier ambiguous $earlier → $status',
    async (row) => {
      const vendor = new FakeProvisioner('resubmit');
      vendor.submitSteps = [SUBMIT[row.submit]];
      const ctx = taskContext(storeOf(), clock, captureLogger().log, vendor, new FakeMessaging());
      const id = await approvedRequest(storeOf(), clock, row.earlier ? { ambiguousSubmit: true } : {});
      await provisionTask(ctx, jobFor(id), { signal: new AbortController().signal });
      expect((await storeOf().getRequest(id)).status).toBe(row.status);
      expect(vendor.calls).toEqual(['submit']);
    },
  );

  it('an aborted task (lease lost, or stopping) makes no vendor call and changes nothing more', async () => {
    const vendor = new FakeProvisioner('precheck');
    const ctx = taskContext(storeOf(), clock, captureLogger().log, vendor, new FakeMessaging());
    const id = await approvedRequest(storeOf(), clock);
    const abort = new AbortController();
    abort.abort(new Error('lease lost'));
    await expect(provisionTask(ctx, jobFor(id), { signal: abort.signal })).rejects.toThrow('lease lost');
    expect(vendor.calls).toEqual([]);
    expect((await storeOf().getRequest(id)).status).toBe('PROVISIONING');
  });
});
