/**
 * A submission's ack carries the outcome of its store write, so the write comes first; nothing
 * else does. submitRequest, editRequest and decide answer their caller (the listener that acks)
 * before the worker is woken and before their lines and metrics are written; those follow in a
 * later turn of the event loop, on the real store and the real logger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from '../../../src/domain/request.ts';
import { decide } from '../../../src/flows/decide.ts';
import type { FlowDeps } from '../../../src/flows/deps.ts';
import { editRequest } from '../../../src/flows/edit-request.ts';
import { submitRequest } from '../../../src/flows/submit-request.ts';
import { Metrics } from '../../../src/observability/metrics.ts';
import { observeStore } from '../../../src/observability/observed-store.ts';
import type { Store } from '../../../src/store/store.ts';
import type { FormValues } from '../../../src/vendors/provisioner.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { FakeMessaging, FakeProvisioner, memoryStore, taskContext } from '../worker/task-fakes.ts';

/** The fake vendor, its payload taken from the form, so that an edit changes something. */
const formProvisioner = () =>
  Object.assign(new FakeProvisioner(), {
    parseForm: (values: FormValues): Json => ({
      username: typeof values.username === 'string' ? values.username : 'fake',
    }),
  });

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('flows answer before they wake the worker or log', () => {
  let real: Store | undefined;
  afterEach(async () => {
    await nextTurn();
    await real?.close();
  });

  async function world() {
    real = await memoryStore();
    const clock = new FakeClock();
    const { log, lines } = captureLogger();
    const metrics = new Metrics(real, clock);
    const store = observeStore(real, log, metrics);
    let wakes = 0;
    let ids = 0;
    const deps: FlowDeps = {
      ...taskContext(store, clock, log, formProvisioner(), new FakeMessaging()),
      newId: () => `req-answer-${++ids}`,
      wake: () => {
        wakes += 1;
      },
    };
    const said = (text: string) => lines.some((l) => l.includes(text));
    return { deps, store, metrics, said, wakes: () => wakes };
  }

  it('submitRequest: stored when it answers; the wake and the "new → PENDING" line come a turn later', async () => {
    const { deps, store, metrics, said, wakes } = await world();
    const request = await submitRequest(deps, {
      vendor: 'pam360',
      requester: { userId: 'U0REQUESTER', teamId: 'T0TEAM' },
      values: {},
    });
    // Here a listener acks: nothing else has run yet.
    expect(wakes()).toBe(0);
    expect(said('request new → PENDING')).toBe(false);

    await nextTurn();
    expect(wakes()).toBe(1);
    expect(said('request new → PENDING')).toBe(true);
    expect(await metrics.registry.metrics()).toMatch(
      /access_desk_request_transitions_total\{vendor="pam360",from="new",to="PENDING"\} 1/,
    );
    expect((await store.getRequest(request.id)).status).toBe('PENDING');
  });

  it('editRequest: saved when it answers; the wake and the "request edited" line come a turn later', async () => {
    const { deps, store, said, wakes } = await world();
    const requester = { userId: 'U0REQUESTER', teamId: 'T0TEAM', groups: [] };
    const request = await submitRequest(deps, { vendor: 'pam360', requester, values: { username: 'first' } });
    await nextTurn();
    const edit = await editRequest(deps, {
      requestId: request.id,
      actor: requester,
      values: { username: 'second' },
    });
    expect(edit.changed).toBe(true);
    expect(wakes()).toBe(1);
    expect(said('request edited')).toBe(false);

    await nextTurn();
    expect(wakes()).toBe(2);
    expect(said('request edited')).toBe(true);
    expect((await store.getRequest(request.id)).payload).toEqual({ username: 'second' });
  });

  it('decide: recorded when it answers; the wake and the "PENDING → APPROVED" line come a turn later', async () => {
    const { deps, store, said, wakes } = await world();
    const request = await submitRequest(deps, {
      vendor: 'pam360',
      requester: { userId: 'U0REQUESTER', teamId: 'T0TEAM' },
      values: {},
    });
    await nextTurn();
    const result = await decide(deps, {
      requestId: request.id,
      actor: { userId: 'U0APPROVER', teamId: 'T0TEAM', groups: [] },
      decision: 'approve',
      reason: null,
      payloadHash: request.payloadHash,
    });
    expect(result.request.status).toBe('APPROVED');
    expect(wakes()).toBe(1);
    expect(said('request PENDING → APPROVED')).toBe(false);

    await nextTurn();
    expect(wakes()).toBe(2);
    expect(said('request PENDING → APPROVED')).toBe(true);
    expect((await store.getRequest(request.id)).status).toBe('APPROVED');
  });
});
