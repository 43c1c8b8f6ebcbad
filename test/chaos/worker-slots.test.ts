/**
 * Worker slots: a vendor call held open (the simulator holds it until released; the fake clock
 * moves 5 s meanwhile) occupies one of two slots; the other request's card, decision, create call,
 * outcome and DM all go through the other slot before the held call returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { approve, plainText, waitForCardText, waitForDm, waitForReply } from '../integration/scenario.ts';
import { advance, pam360Form, submitAndWaitForCard, waitForStatus } from './chaos-kit.ts';

describe('worker slots', () => {
  let h: Harness;
  beforeAll(async () => {
    // The client's own timeout must outlast the hold; the hold, not a timer, decides when it ends.
    h = await startHarness({ workerPatch: { concurrency: 2 }, pam360Patch: { timeoutMs: 120_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('concurrency 2: a create call held for 5 s does not delay another request’s card and outcome', async () => {
    const slow = await submitAndWaitForCard(h, 'pam360', pam360Form('heldcall1'), 'heldcall1');
    const held = h.pam360.hold('createUser');
    await approve(h.slack, slow.card, USERS.approver1);
    await held.reached;
    advance(h, 5_000);
    // The held request's own card still moves on: its card queue is not its vendor queue.
    await waitForCardText(h.slack, 'pam360', slow.card, /Provisioning/);

    const fast = await submitAndWaitForCard(h, 'pam360', pam360Form('fastpath1'), 'fastpath1', 'U0FASTREQ');
    await approve(h.slack, fast.card, USERS.approver2);
    const fastOutcome = await waitForReply(h.slack, fast.card, /Created in PAM360/);
    await waitForDm(h.slack, 'U0FASTREQ', /account for fastpath1.*Created in PAM360/);

    // Everything of the fast request happened while the slow call was still held.
    expect((await h.runtime.store.getRequest(slow.request.id)).status).toBe('PROVISIONING');
    expect(h.slack.thread(slow.card.channel, slow.card.ts).map(plainText).join('\n')).not.toMatch(
      /Created in PAM360/,
    );
    expect(h.pam360.store.find('fastpath1')).toBeTruthy();
    expect(h.pam360.store.find('heldcall1')).toBeFalsy();

    held.release();
    const slowOutcome = await waitForReply(h.slack, slow.card, /Created in PAM360/);
    expect((await waitForStatus(h, slow.request.id, ['SUCCEEDED'])).status).toBe('SUCCEEDED');
    expect(Number(fastOutcome.ts)).toBeLessThan(Number(slowOutcome.ts));
    expect(h.pam360.createCalls).toBe(2);
  });
});
