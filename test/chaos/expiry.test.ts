/**
 * A request nobody decides: approvers are reminded in the thread at remindAfterHours, and at
 * expireAfterHours the card loses its buttons and the requester is told. Driven by the fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep } from '../../src/flows/sweep.ts';
import { ACTION } from '../../src/slack/views/ids.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { hasAction, plainText, waitForCardText, waitForDm, waitForReply } from '../integration/scenario.ts';
import { advance, pam360Form, submitAndWaitForCard, waitForStatus } from './chaos-kit.ts';

const HOUR = 3_600_000;

describe('undecided requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendorPatch: { remindAfterHours: [24], expireAfterHours: 72 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a reminder at 24 h (once, though swept twice), then EXPIRED at 72 h: no buttons, requester DM’d', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('nobody01'), 'nobody01');

    advance(h, 23 * HOUR);
    await sweep(h.runtime.deps);
    await h.runtime.worker.idle();
    expect(
      h.slack.thread(card.channel, card.ts).filter((m) => /waiting \d+ h/.test(plainText(m))),
    ).toHaveLength(0);

    advance(h, 1 * HOUR + 60_000);
    await sweep(h.runtime.deps);
    await sweep(h.runtime.deps);
    const reminder = await waitForReply(h.slack, card, /waiting 24 h for a decision/);
    expect(plainText(reminder)).toContain(`<@${USERS.approver1}>`);
    await h.runtime.worker.idle();
    expect(
      h.slack.thread(card.channel, card.ts).filter((m) => /waiting \d+ h/.test(plainText(m))),
    ).toHaveLength(1);
    expect((await h.runtime.store.getRequest(request.id)).status).toBe('PENDING');

    advance(h, 48 * HOUR);
    await sweep(h.runtime.deps);
    expect((await waitForStatus(h, request.id, ['EXPIRED'])).status).toBe('EXPIRED');
    const expired = await waitForCardText(h.slack, 'pam360', card, /Expired/);
    for (const action of [ACTION.approve, ACTION.deny, ACTION.cancel])
      expect(hasAction(expired, action)).toBe(false);
    const dm = await waitForDm(h.slack, USERS.requester, /Expired/);
    expect(plainText(dm)).toMatch(/nobody01/);
    expect(h.pam360.createCalls).toBe(0);
    const audit = await h.runtime.store.listAudit(request.id);
    expect(audit.filter((a) => a.action === 'reminded')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'expired')).toHaveLength(1);
  });
});
