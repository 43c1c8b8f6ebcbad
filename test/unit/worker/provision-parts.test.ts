/**
 * A batch sent in several create calls under one approval: each answered call is stored as it
 * returns, so whatever breaks off later — an ambiguous call 2 of 3, a refusal, a call that never
 * left — the next attempt never sends an answered call again, and re-sends as such only the call
 * that may have arrived.
 */
import { describe, expect, it } from 'vitest';
import { readFacts } from '../../../src/domain/facts.ts';
import type { Json } from '../../../src/domain/request.ts';
import { RetryLaterError, VendorError } from '../../../src/errors.ts';
import type { ItemResult, SubmitAttempt, SubmitOutcome } from '../../../src/vendors/provisioner.ts';
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

type Answer = 'ok' | VendorError;

/** Three create calls of one user each; every call answers from `answers`, in order. */
class PartsProvisioner extends FakeProvisioner {
  readonly sent: { part: number; resend: boolean }[] = [];
  answers: Answer[] = [];

  constructor() {
    super('resubmit');
  }
  parts(): Json[] {
    return [0, 1, 2].map((part) => ({ part }));
  }
  outcomeOf(items: readonly ItemResult[]): SubmitOutcome {
    return {
      kind: 'done',
      label: 'Created',
      headline: `${items.length} created`,
      lines: [],
      items: [...items],
    };
  }
  override async submit(
    payload: Json,
    _signal?: AbortSignal,
    attempt?: SubmitAttempt,
  ): Promise<SubmitOutcome> {
    const part = (payload as { part: number }).part;
    this.sent.push({ part, resend: attempt?.resend ?? false });
    const answer = this.answers.shift() ?? 'ok';
    if (answer !== 'ok') throw answer;
    const item = { subject: `user${part}`, ok: true, id: `id${part}`, messages: [] };
    return { kind: 'done', label: 'Created', headline: '1 created', lines: [], items: [item] };
  }
}

const lost = () =>
  new VendorError({ vendor: 'fake', kind: 'transient', message: 'socket hang up', requestSent: true });
const unsent = () => new VendorError({ vendor: 'fake', kind: 'transient', message: 'ECONNREFUSED' });
const refused = () => new VendorError({ vendor: 'fake', kind: 'validation', message: 'bad batch' });

describe('a batch in several create calls', () => {
  const storeOf = useMemoryStore();
  const clock = new FakeClock();

  async function setup(answers: Answer[]) {
    const vendor = new PartsProvisioner();
    vendor.answers = answers;
    const ctx = taskContext(storeOf(), clock, captureLogger().log, vendor, new FakeMessaging());
    const id = await approvedRequest(storeOf(), clock);
    const run = (attempts: number) =>
      provisionTask(
        ctx,
        { ...runningJob(clock, 'provision', id), attempts },
        {
          signal: new AbortController().signal,
        },
      );
    return { vendor, id, run };
  }

  it('an ambiguous call 2 of 3: call 1 is never sent again, call 2 is re-sent as a re-send, then call 3', async () => {
    const { vendor, id, run } = await setup(['ok', lost()]);
    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    const between = readFacts((await storeOf().getRequest(id)).facts);
    expect(Object.keys(between.parts?.done ?? {})).toEqual(['0']);
    expect(between.ambiguousSubmit).toBe(true);

    await run(2);
    expect(vendor.sent).toEqual([
      { part: 0, resend: false },
      { part: 1, resend: false },
      { part: 1, resend: true },
      { part: 2, resend: false },
    ]);
    const req = await storeOf().getRequest(id);
    const facts = readFacts(req.facts);
    expect(req.status).toBe('SUCCEEDED');
    expect(facts.outcome?.items?.map((i) => i.subject)).toEqual(['user0', 'user1', 'user2']);
    expect(facts.ambiguousSubmit).toBe(false);
  });

  it('a call that never left: nothing is ambiguous, and the retry sends it plainly', async () => {
    const { vendor, id, run } = await setup(['ok', unsent()]);
    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    expect(readFacts((await storeOf().getRequest(id)).facts).ambiguousSubmit).toBe(false);
    await run(2);
    expect(vendor.sent.map((s) => `${s.part}${s.resend ? 'r' : ''}`)).toEqual(['0', '1', '1', '2']);
  });

  it('a refusal after call 1 answered: needs attention with the users sent, and Retry sends only the rest', async () => {
    const { vendor, id, run } = await setup(['ok', refused()]);
    await run(1);
    let req = await storeOf().getRequest(id);
    const facts = readFacts(req.facts);
    expect(req.status).toBe('NEEDS_ATTENTION');
    expect(facts.outcome?.headline).toMatch(/create call 2 of 3 did not go through, after 1 users were sent/);
    expect(facts.outcome?.items?.map((i) => i.subject)).toEqual(['user0']);

    req = await storeOf().transition({
      id,
      expected: { status: req.status, version: req.version },
      to: 'APPROVED',
      audit: { actor: 'U0ADMIN', action: 'retry_requested' },
      jobs: [],
      at: clock.now(),
    });
    await run(2);
    expect(vendor.sent.map((s) => s.part)).toEqual([0, 1, 1, 2]);
    expect((await storeOf().getRequest(id)).status).toBe('SUCCEEDED');
  });

  it('a refusal of call 1 (nothing sent before it) is a plain failure', async () => {
    const { id, run } = await setup([refused()]);
    await run(1);
    expect((await storeOf().getRequest(id)).status).toBe('FAILED');
  });
});
