/**
 * Slash commands and clicks are acked before anything else runs, so a failure after the ack can no
 * longer reach the user through Slack's own error: the bot tells them privately instead, and
 * nothing is lost (the request is unchanged and a second try goes through). A view submission
 * still stores before its ack, so a failed save answers with the modal's error and a failed
 * duplicate check leaves it unacked for Slack's retry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { CALLBACK } from '../../src/slack/views/ids.ts';
import { openSqliteStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { pam360Form, submitAndWaitForCard } from '../chaos/chaos-kit.ts';
import { CHANNELS, type Harness, startHarness, USERS } from './harness.ts';
import { approve, form, WHY, waitForCard, waitForEphemeral, waitForReply } from './scenario.ts';

const FAILED = /could not finish that just now/;

/** A real store whose next call of a method fails once, as a dropped database connection would. */
function faultyStore(store: Store) {
  const failing = new Set<string | symbol>();
  const proxy = new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (failing.delete(prop)) return Promise.reject(new Error(`store down (${String(prop)})`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, failNext: (method: keyof Store) => failing.add(method) };
}

describe('ack first, and nothing lost after the ack', () => {
  let h: Harness;
  let dir: string;
  let faults: ReturnType<typeof faultyStore>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'access-desk-ackfirst-'));
    const real = openSqliteStore({ path: join(dir, 'store.db'), secretKey: generateSecretKey() });
    await real.migrate();
    faults = faultyStore(real);
    h = await startHarness({ store: faults.store });
  });
  afterAll(async () => {
    await h?.close();
    await faults?.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an Approve click whose decision cannot be stored: acked, the approver is told, a second click approves', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('ackfirst1'), 'ackfirst1');
    faults.failNext('recordDecision');
    const delivery = await approve(h.slack, card, USERS.approver1);
    expect(delivery).toMatchObject({ acked: true, attempts: 1 });
    await waitForEphemeral(h.slack, USERS.approver1, FAILED);
    expect((await h.runtime.store.getRequest(request.id)).status).toBe('PENDING');

    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Created in PAM360/);
    expect(await h.runtime.store.listApprovals(request.id)).toHaveLength(1);
  });

  it('/newuser whose duplicate check fails after its ack: the user is told, no modal opens', async () => {
    const user = 'U0ACKFIRST';
    faults.failNext('markDeliveries');
    const result = await h.slack.slashCommand({ user, command: '/newuser', text: 'pam360' });
    expect(result).toMatchObject({ acked: true, attempts: 1 });
    await waitForEphemeral(h.slack, user, FAILED);
    expect(h.slack.views(user)).toHaveLength(0);

    await h.slack.slashCommand({ user, command: '/newuser', text: 'pam360' });
    await h.slack.waitFor(() => h.slack.views(user).find((v) => v.open && v.callbackId === CALLBACK.newUser));
  });

  it('a submission whose save fails keeps its modal open with the error; saved, its line follows the ack', async () => {
    const user = 'U0ACKSAVE';
    await h.slack.slashCommand({ user, command: '/newuser', text: 'pam360', channel: CHANNELS.general });
    const modal = await h.slack.waitFor(() =>
      h.slack.views(user).find((v) => v.open && v.callbackId === CALLBACK.newUser),
    );
    const values = form({ justification: WHY, ...pam360Form('acksave1') });
    faults.failNext('createRequest');
    const refused = await h.slack.submitView({ user, viewId: modal.id, values });
    expect(refused).toMatchObject({ acked: true, attempts: 1 });
    expect(refused.ack).toMatchObject({ response_action: 'errors' });
    expect(Object.values(refused.ack?.errors ?? {})).toEqual([
      'Could not save the request just now. Please submit again.',
    ]);
    expect(await h.runtime.store.listRequests({ requesterId: user, limit: 10 })).toHaveLength(0);

    const saved = await h.slack.submitView({ user, viewId: modal.id, values });
    expect(saved).toMatchObject({ acked: true, attempts: 1 });
    expect(saved.ack?.response_action).toBeUndefined();
    const [request] = await h.runtime.store.listRequests({ requesterId: user, limit: 10 });
    // The line is written a turn after the ack (observed-store.ts); the card comes later still.
    await waitForCard(h.slack, 'pam360', (m) => m.text.includes('acksave1'));
    const line = h
      .logText()
      .split('\n')
      .find((l) => l.includes('request new → PENDING') && l.includes(request!.id));
    expect(line).toBeDefined();
  });

  it('a submission whose duplicate check fails is not acked; Slack retries it and it is stored once', async () => {
    const user = 'U0ACKRETRY';
    await h.slack.slashCommand({ user, command: '/newuser', text: 'pam360', channel: CHANNELS.general });
    const modal = await h.slack.waitFor(() =>
      h.slack.views(user).find((v) => v.open && v.callbackId === CALLBACK.newUser),
    );
    h.slack.ackTimeoutMs = 300;
    try {
      faults.failNext('markDeliveries');
      const result = await h.slack.submitView({
        user,
        viewId: modal.id,
        values: form({ justification: WHY, ...pam360Form('ackretry1') }),
      });
      expect(result).toMatchObject({ acked: true, attempts: 2 });
      expect(result.ack?.response_action).toBeUndefined();
    } finally {
      h.slack.ackTimeoutMs = 3000;
    }
    const stored = await h.runtime.store.listRequests({ requesterId: user, limit: 10 });
    expect(stored).toHaveLength(1);
    expect(h.slack.ephemerals(user).filter((e) => FAILED.test(e.text))).toHaveLength(0);
  });
});
