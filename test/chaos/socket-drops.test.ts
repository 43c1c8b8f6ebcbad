/**
 * Socket Mode drops mid-approval: the fake Slack closes the WebSocket that carried an Approve
 * click, once before its ack could arrive (Slack redelivers on the next connection) and once just
 * after the ack. The bot reconnects and the approval completes once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DropPoint } from '../fakes/fake-slack/index.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { approve, plainText, waitForCardText, waitForReply } from '../integration/scenario.ts';
import { pam360Form, submitAndWaitForCard, waitForStatus } from './chaos-kit.ts';

const FINAL = ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'] as const;
/** Bolt waits its client ping timeout (5 s) before reconnecting; Slack's retries span 12 s. */
const RECONNECT_MS = 15_000;

describe('Socket Mode drops mid-approval', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases: { point: DropPoint; subject: string; redelivered: boolean }[] = [
    { point: 'before-ack', subject: 'dropbefore', redelivered: true },
    { point: 'after-ack', subject: 'dropafter1', redelivered: false },
  ];

  it.each(cases)(
    'connection dropped $point → the bot reconnects; one approval, one create, one outcome reply',
    async ({ point, subject, redelivered }) => {
      const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form(subject), subject);
      const creates = h.pam360.createCalls;
      const drops = h.slack.droppedConnections;
      h.slack.dropConnection(point);
      const delivery = await approve(h.slack, card, USERS.approver1);
      await h.slack.waitFor(() => h.slack.connections > 0, {
        timeoutMs: RECONNECT_MS,
        description: 'reconnect',
      });
      expect(h.slack.droppedConnections - drops).toBe(1);
      expect(delivery.acked).toBe(true);
      expect(delivery.attempts > 1).toBe(redelivered);

      expect((await waitForStatus(h, request.id, FINAL)).status).toBe('SUCCEEDED');
      await waitForReply(h.slack, card, /Created in PAM360/);
      await waitForCardText(h.slack, 'pam360', card, /Created in PAM360/);
      await h.runtime.worker.idle();

      expect(await h.runtime.store.listApprovals(request.id)).toHaveLength(1);
      expect(h.pam360.createCalls - creates).toBe(1);
      const thread = h.slack.thread(card.channel, card.ts).map(plainText);
      expect(thread.filter((t) => /approved \(/.test(t))).toHaveLength(1);
      expect(thread.filter((t) => /Created in PAM360/.test(t))).toHaveLength(1);
      const dms = h.slack.dms(USERS.requester).map(plainText);
      expect(dms.filter((t) => t.includes(subject) && /Done|created/i.test(t))).toHaveLength(1);
      // A second processing of the click would have told the approver they already approved.
      expect(h.slack.ephemerals(USERS.approver1).filter((e) => /already/.test(e.text))).toHaveLength(0);
      expect(h.slack.violations()).toEqual([]);
    },
    40_000,
  );

  it('after the drops the bot still takes new clicks on its new connection', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('dropnext1'), 'dropnext1');
    const delivery = await approve(h.slack, card, USERS.approver2);
    expect(delivery).toMatchObject({ acked: true, attempts: 1 });
    expect((await waitForStatus(h, request.id, FINAL)).status).toBe('SUCCEEDED');
  });
});
