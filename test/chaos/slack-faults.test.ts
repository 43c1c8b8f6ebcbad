/**
 * Slack misbehaves: someone deletes the approval card, or chat.update is rate limited. The card is
 * a function of the stored request, so it is reposted or re-rendered later and ends up right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import { CHANNELS, type Harness, startHarness, USERS } from '../integration/harness.ts';
import {
  approve,
  hasAction,
  plainText,
  waitForCard,
  waitForCardText,
  waitForReply,
} from '../integration/scenario.ts';
import {
  advance,
  cardPosts,
  eventually,
  pam360Form,
  submitAndWaitForCard,
  waitForScheduledJob,
  waitForStatus,
} from './chaos-kit.ts';

const RETRY_DUE_MS = 6 * 60_000;

describe('Slack faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the card is deleted mid-provisioning → the next change reposts it; later updates and replies go to the new one', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('lostcard1'), 'lostcard1');
    // Two failed attempts (nothing created: the proxy answers before PAM360 sees the call), then success.
    h.pam360.fault('createUser', { status5xx: 502 }, 2);
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Attempt 1 of 5/);
    h.slack.deleteMessage(card.channel, card.ts);

    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);
    const reposted = await waitForCard(h.slack, 'pam360', (m) => plainText(m).includes('lostcard1'));
    expect(reposted.ts).not.toBe(card.ts);
    await waitForReply(h.slack, reposted, /Attempt 2 of 5/);
    expect((await h.runtime.store.getRequest(request.id)).card).toEqual({
      channel: card.channel,
      ts: reposted.ts,
    });

    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);
    expect((await waitForStatus(h, request.id, ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'])).status).toBe(
      'SUCCEEDED',
    );
    await waitForCardText(h.slack, 'pam360', reposted, /Created in PAM360/);
    await waitForReply(h.slack, reposted, /Created in PAM360/);
    await h.runtime.worker.idle();

    const mine = (c: { args: Record<string, unknown> }) => JSON.stringify(c.args).includes('lostcard1');
    expect(cardPosts(h, CHANNELS.pam360).filter(mine)).toHaveLength(2);
    expect(h.slack.messages(CHANNELS.pam360).filter((m) => plainText(m).includes('lostcard1'))).toHaveLength(
      1,
    );
    const updates = h.slack.calls('chat.update').filter(mine);
    const toOld = updates.filter((c) => c.args.ts === card.ts);
    expect(toOld.filter((c) => !c.ok).map((c) => c.error)).toEqual(['message_not_found']);
    expect(updates.filter((c) => c.ok && c.args.ts === reposted.ts).length).toBeGreaterThanOrEqual(1);
    expect(h.slack.thread(card.channel, card.ts).some((m) => /Created in PAM360/.test(plainText(m)))).toBe(
      false,
    );
    expect(h.pam360.createCalls).toBe(3);
  });

  it('the connection resets after Slack posted the outcome reply → the job runs again, finds the reply, posts nothing', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('resetrep1'), 'resetrep1');
    const reset = h.slack.loseAnswer(
      'chat.postMessage',
      (a) => a.thread_ts === card.ts && JSON.stringify(a).includes('Created in PAM360'),
      'reset',
    );
    await approve(h.slack, card, USERS.approver1);
    await reset;
    const outcomeReplies = () =>
      h.slack.thread(card.channel, card.ts).filter((m) => /Created in PAM360/.test(plainText(m)));
    // No blind retry by the Slack client: the job fails and is scheduled to run again.
    await h.runtime.worker.idle();
    expect(outcomeReplies()).toHaveLength(1);
    const job = await waitForScheduledJob(h, request.id, 'thread-reply');
    advance(h, job.runAfter.getTime() - h.clock.now().getTime());
    await eventually('the reply job done', async () => {
      const again = await h.runtime.store.getJob(job.id);
      return again?.state === 'done' && again;
    });
    await h.runtime.worker.idle();

    expect(outcomeReplies()).toHaveLength(1);
    expect(h.slack.calls('conversations.replies').filter((c) => c.args.ts === card.ts)).toHaveLength(1);
  });

  it('chat.update rate limited → the card job runs again after Retry-After (clock time) and the card ends up right', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('ratelim01'), 'ratelim01');
    h.slack.failNext('chat.update', { error: 'ratelimited', retryAfterSec: 30 });
    await approve(h.slack, card, USERS.approver1);

    expect((await waitForStatus(h, request.id, ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'])).status).toBe(
      'SUCCEEDED',
    );
    await waitForReply(h.slack, card, /Created in PAM360/);
    const job = await waitForScheduledJob(h, request.id, 'render-card');
    expect(job.runAfter.getTime() - h.clock.now().getTime()).toBe(30_000);
    const jobs = await h.runtime.store.listJobs(request.id);
    expect(jobs.some((j) => j.kind === 'render-card' && /rate limit/i.test(j.lastError ?? ''))).toBe(true);
    await h.runtime.worker.idle();
    const stale = h.slack.message(card.channel, card.ts);
    expect(stale && plainText(stale)).toMatch(/Waiting for approval/);

    advance(h, 30_000);
    const final = await waitForCardText(h.slack, 'pam360', card, /Created in PAM360/);
    expect(hasAction(final, ACTION.approve)).toBe(false);
    expect(plainText(final)).toMatch(/Approved by/);
    expect(h.slack.calls('chat.update').filter((c) => c.error === 'ratelimited')).toHaveLength(1);
    expect(h.slack.violations()).toEqual([]);
  });
});
