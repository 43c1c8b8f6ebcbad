/**
 * Things that happen at once: two approvers clicking together, two replicas of the bot sharing one
 * database and one Slack app, and Slack redelivering what it thinks was not acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccessDesk } from '../../src/runtime.ts';
import { openStore } from '../../src/store/open-store.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import {
  approve,
  plainText,
  requestAccount,
  waitForCard,
  waitForEphemeral,
  waitForReply,
} from '../integration/scenario.ts';
import { cardPosts, pam360Form, requestOfCard, submitAndWaitForCard, waitForStatus } from './chaos-kit.ts';

const FINAL = ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'] as const;
const SLACK_ACK_MS = 3_000;

describe('concurrency and redelivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('two approvers click Approve at once → one job, one create, one "approved" reply; the loser is told who won', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('bothclick1'), 'bothclick1');
    const creates = h.pam360.createCalls;

    await Promise.all([approve(h.slack, card, USERS.approver1), approve(h.slack, card, USERS.approver2)]);
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');

    const approvals = await h.runtime.store.listApprovals(request.id);
    expect(approvals).toHaveLength(1);
    const winner = approvals[0]!.approverId;
    const loser = winner === USERS.approver1 ? USERS.approver2 : USERS.approver1;
    const refusal = await waitForEphemeral(h.slack, loser, /Nothing changed/);
    expect(refusal.text).toMatch(/already approved/);
    expect(refusal.text).toContain(`<@${winner}>`);
    expect(h.slack.ephemerals(winner)).toHaveLength(0);

    await waitForReply(h.slack, card, /Created in PAM360/);
    const jobs = await h.runtime.store.listJobs(request.id);
    expect(jobs.filter((j) => j.kind === 'provision')).toHaveLength(1);
    expect(h.pam360.createCalls - creates).toBe(1);
    const approvedReplies = h.slack
      .thread(card.channel, card.ts)
      .filter((m) => /approved \(/.test(plainText(m)));
    expect(approvedReplies).toHaveLength(1);
    expect(plainText(approvedReplies[0]!)).toContain(`<@${winner}>`);
  });

  it('an approve click not acked in time is redelivered → processed once', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('redeliver1'), 'redeliver1');
    const creates = h.pam360.createCalls;
    h.slack.ackTimeoutMs = 1;
    const delivery = await approve(h.slack, card, USERS.approver1).finally(() => {
      h.slack.ackTimeoutMs = SLACK_ACK_MS;
    });
    expect(delivery.attempts).toBeGreaterThan(1);

    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');
    await waitForReply(h.slack, card, /Created in PAM360/);
    expect(h.pam360.createCalls - creates).toBe(1);
    expect(await h.runtime.store.listApprovals(request.id)).toHaveLength(1);
    const jobs = await h.runtime.store.listJobs(request.id);
    expect(jobs.filter((j) => j.kind === 'provision')).toHaveLength(1);
    expect(
      h.slack.thread(card.channel, card.ts).filter((m) => /approved \(/.test(plainText(m))),
    ).toHaveLength(1);
    // A second processing would have been refused with "You already approved this request".
    expect(h.slack.ephemerals(USERS.approver1).filter((e) => /already/.test(e.text))).toHaveLength(0);
  });

  it('a modal submission redelivered before its ack arrives → one request, one card', async () => {
    const posts = cardPosts(h, 'C0PAMAPPROVE').length;
    h.slack.ackTimeoutMs = 1;
    const submitted = await requestAccount(h.slack, 'pam360', pam360Form('redeliver2')).finally(() => {
      h.slack.ackTimeoutMs = SLACK_ACK_MS;
    });
    expect(submitted.attempts).toBeGreaterThan(1);

    const card = await waitForCard(h.slack, 'pam360', (m) => plainText(m).includes('redeliver2'));
    await requestOfCard(h, 'pam360', card);
    const mine = await h.runtime.store.listRequests({ requesterId: USERS.requester, limit: 200 });
    const stored = mine.filter((r) => JSON.stringify(r.payload).includes('redeliver2'));
    expect(stored).toHaveLength(1);
    await h.runtime.worker.idle();
    expect(cardPosts(h, 'C0PAMAPPROVE').length - posts).toBe(1);
  });
});

describe('two replicas on one database and one Slack app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('several requests approved across both replicas → each card posted once, each user created once', async () => {
    const log = h.runtime.deps.log.child({ replica: 2 });
    const store = await openStore(h.config.store, { log });
    const replica = await startAccessDesk({ config: h.config, log, clock: h.clock, store });
    try {
      await h.slack.waitFor(() => h.slack.connections >= 2, { timeoutMs: 10_000 });
      const names = ['replica01', 'replica02', 'replica03', 'replica04', 'replica05', 'replica06'];
      // Different requesters submit at the same moment, so card posts and pre-checks interleave.
      const cards = await Promise.all(
        names.map((name, i) => submitAndWaitForCard(h, 'pam360', pam360Form(name), name, `U0REQ${i}`)),
      );
      await Promise.all(
        cards.map(({ card }, i) => approve(h.slack, card, i % 2 ? USERS.approver1 : USERS.approver2)),
      );

      for (const { request } of cards)
        expect((await waitForStatus(h, request.id, FINAL)).status).toBe('SUCCEEDED');
      for (const { card } of cards) await waitForReply(h.slack, card, /Created in PAM360/);
      await Promise.all([h.runtime.worker.idle(), replica.worker.idle()]);

      expect(h.pam360.createCalls).toBe(names.length);
      const owners = new Set<string | null>();
      // Owners are `<process>/<slot>`: count processes.
      for (const { request } of cards)
        for (const job of await h.runtime.store.listJobs(request.id))
          owners.add(job.leaseOwner?.replace(/\/\d+$/, '') ?? null);
      expect(owners.size, 'both replicas ran jobs').toBe(2);
      for (const name of names) {
        expect(h.pam360.store.find(name)).toBeTruthy();
        const posted = cardPosts(h, 'C0PAMAPPROVE').filter((c) => JSON.stringify(c.args).includes(name));
        expect(posted, `card posts for ${name}`).toHaveLength(1);
      }
      for (const { card } of cards) {
        const replies = h.slack.thread(card.channel, card.ts).map(plainText);
        const approved = replies.filter((t) => /approved \(/.test(t));
        expect(approved).toHaveLength(1);
        expect(approved[0]).toMatch(/Provisioning starts now/);
        expect(replies.filter((t) => /Created in PAM360/.test(t))).toHaveLength(1);
      }
    } finally {
      await replica.stop();
      await store.close();
    }
  });
});
