/**
 * Slack's API budget: chat.update is rate-limited per workspace, so a card re-render identical to
 * the last one sent (its hash is kept with the card in the store) makes no call; a real change does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCardJob } from '../../src/flows/jobs.ts';
import { pam360Form, submitAndWaitForCard } from '../chaos/chaos-kit.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { approve, waitForDm, waitForReply } from './scenario.ts';

describe('the card re-render budget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const updatesOf = (ts: string) => h.slack.calls('chat.update').filter((c) => c.args.ts === ts).length;

  it('an identical re-render sends no chat.update; a change is sent once', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('samecard1'), 'samecard1');
    await h.runtime.worker.idle();
    const stored = await h.runtime.store.getRequest(request.id);
    expect(stored.cardRender).toMatch(/^[\w-]{43}$/);
    const before = updatesOf(card.ts);

    await h.runtime.store.enqueue(renderCardJob(request.id), h.clock.now());
    h.runtime.worker.wake();
    await h.runtime.worker.idle();
    expect((await h.runtime.store.listJobs(request.id)).every((j) => j.state === 'done')).toBe(true);
    expect(updatesOf(card.ts)).toBe(before);

    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Created in PAM360/);
    await h.runtime.worker.idle();
    const after = updatesOf(card.ts);
    expect(after).toBeGreaterThan(before);
    // Every update sent a different card: none repeated the one before it.
    const sent = h.slack
      .calls('chat.update')
      .filter((c) => c.args.ts === card.ts)
      .map((c) => JSON.stringify(c.args.blocks));
    expect(sent.filter((b, i) => i > 0 && b === sent[i - 1])).toEqual([]);
    expect((await h.runtime.store.getRequest(request.id)).cardRender).not.toBe(stored.cardRender);
  });

  it('the card link is asked for once, though the submitted notice and the outcome DM both carry it', async () => {
    const { card } = await submitAndWaitForCard(h, 'pam360', pam360Form('onelink1'), 'onelink1');
    await approve(h.slack, card, USERS.approver1);
    await waitForDm(h.slack, USERS.requester, /onelink1/);
    await h.runtime.worker.idle();
    const links = h.slack.calls('chat.getPermalink').filter((c) => c.args.message_ts === card.ts);
    expect(links).toHaveLength(1);
    const linked = [...h.slack.ephemerals(USERS.requester), ...h.slack.dms(USERS.requester)].filter(
      (m) => m.text.includes('onelink1') || JSON.stringify(m.blocks).includes('onelink1'),
    );
    const permalink = String(links[0]!.args.message_ts).replace('.', '');
    expect(linked.filter((m) => JSON.stringify(m).includes(permalink)).length).toBeGreaterThanOrEqual(2);
  });
});
