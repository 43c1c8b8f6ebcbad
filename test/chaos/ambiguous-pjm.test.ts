/**
 * PJM registration timeouts (reference §1.7): a registration awaiting CAM approval may or may not
 * show in userSearch, so whether a retry may send again depends on pendingVisibleInSearch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFacts } from '../../src/domain/facts.ts';
import { ACTION } from '../../src/slack/views/ids.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { approve, hasAction, plainText, waitForCardText, waitForReply } from '../integration/scenario.ts';
import { advance, pjmForm, submitAndWaitForCard, waitForScheduledJob, waitForStatus } from './chaos-kit.ts';

const RETRY_DUE_MS = 6 * 60_000;
const FINAL = ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'] as const;

describe('PJM: pending registrations invisible in search (pendingVisibleInSearch false)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendorPatch: { timeoutMs: 1_500, pendingVisibleInSearch: false } });
    h.pjm.setKnobs({ pendingVisibleWithActiveOnlyF: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registration timeout → NEEDS_ATTENTION with Retry, one create; CAM approves, Retry → SUCCEEDED as existing, still one create', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pjm', pjmForm('pjmlost01'), 'pjmlost01');
    expect(plainText(card)).toMatch(/Could not confirm/);
    h.pjm.fault('registrations', { timeout: true, afterProcessing: true });

    await approve(h.slack, card, USERS.approver1);
    const note = await waitForReply(h.slack, card, /Attempt 1 of 5/);
    expect(plainText(note)).toMatch(/no answer from PJM/);
    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);

    const stuck = await waitForStatus(h, request.id, FINAL);
    expect(stuck.status).toBe('NEEDS_ATTENTION');
    expect(readFacts(stuck.facts).ambiguousSubmit).toBe(true);
    expect(h.pjm.createCalls).toBe(1);
    await waitForReply(h.slack, card, /Could not tell whether the account was created/);
    const withRetry = await waitForCardText(h.slack, 'pjm', card, /Needs attention/);
    expect(hasAction(withRetry, ACTION.retry)).toBe(true);

    expect(h.pjm.approve('pjmlost01')).toBe(true);
    await h.slack.clickButton({
      user: USERS.approver2,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.retry,
    });
    await waitForReply(h.slack, card, /asked to check again and retry/);
    const done = await waitForStatus(h, request.id, ['SUCCEEDED', 'FAILED']);
    expect(done.status).toBe('SUCCEEDED');
    expect(readFacts(done.facts).outcome?.kind).toBe('exists');
    await waitForReply(h.slack, card, /earlier attempt went through/);
    expect(h.pjm.createCalls).toBe(1);
  });
});

describe('PJM: pending registrations visible in search (pendingVisibleWithActiveOnlyF on)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendorPatch: { timeoutMs: 1_500, pendingVisibleInSearch: true } });
    h.pjm.setKnobs({ pendingVisibleWithActiveOnlyF: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registration timeout → the retry’s pre-check sees the pending registration → SUCCEEDED, one create', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pjm', pjmForm('pjmseen01'), 'pjmseen01');
    expect(plainText(card)).toMatch(/Not found at the vendor/);
    h.pjm.fault('registrations', { timeout: true, afterProcessing: true });

    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Attempt 1 of 5/);
    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);

    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');
    expect(readFacts(done.facts).outcome?.kind).toBe('exists');
    const reply = await waitForReply(h.slack, card, /earlier attempt went through/);
    expect(plainText(reply)).toMatch(/pjmseen01/);
    expect(h.pjm.createCalls).toBe(1);
  });
});
