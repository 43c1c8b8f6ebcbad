/** A pre-check that finishes after the requester edited the request: its finding is about the old payload. */
import { describe, expect, it } from 'vitest';
import { readFacts } from '../../../src/domain/facts.ts';
import { JOB } from '../../../src/flows/jobs.ts';
import { precheckTask } from '../../../src/worker/tasks/precheck.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { FakeMessaging, FakeProvisioner, runningJob, taskContext, useMemoryStore } from './task-fakes.ts';

describe('precheck task and edits', () => {
  const storeOf = useMemoryStore();
  const clock = new FakeClock();

  it('leaves the edited request alone (its own pre-check is queued); an unedited one gets the finding', async () => {
    const store = storeOf();
    const provisioner = new FakeProvisioner();
    const ctx = taskContext(store, clock, captureLogger().log, provisioner, new FakeMessaging());
    const create = (id: string) =>
      store.createRequest(
        {
          id,
          vendor: 'pam360',
          requesterId: 'U0REQ',
          teamId: 'T0',
          payload: { username: 'old' },
          payloadHash: 'h1',
          facts: {},
        },
        { actor: 'U0REQ', action: 'requested' },
        [],
        clock.now(),
      );
    await create('edited-meanwhile');
    provisioner.precheckSteps = [
      async () => {
        const req = await store.getRequest('edited-meanwhile');
        await store.editRequest({
          id: req.id,
          expected: { status: 'PENDING', version: req.version },
          payload: { username: 'new' },
          payloadHash: 'h2',
          heldPasswords: null,
          at: clock.now(),
          write: () => ({ facts: {}, audit: { actor: 'U0REQ', action: 'edited' }, jobs: [] }),
        });
        return { state: 'exists', notes: ['old exists'] };
      },
      { state: 'absent', notes: [] },
    ];
    await precheckTask(ctx, runningJob(clock, JOB.precheck, 'edited-meanwhile'), {
      signal: new AbortController().signal,
    });
    expect(readFacts((await store.getRequest('edited-meanwhile')).facts).precheck).toBeUndefined();

    await create('unedited');
    await precheckTask(ctx, runningJob(clock, JOB.precheck, 'unedited'), {
      signal: new AbortController().signal,
    });
    expect(readFacts((await store.getRequest('unedited')).facts).precheck).toEqual({
      state: 'absent',
      notes: [],
    });
  });
});
