/**
 * The requirement: after an ambiguous failure of a create call (timeout or reset after the
 * request was sent), no second create reaches the vendor unless the pre-check proves the user
 * absent. PAM360 and Certification here; PJM in ambiguous-pjm.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFacts } from '../../src/domain/facts.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { approve, plainText, waitForCardText, waitForReply } from '../integration/scenario.ts';
import {
  advance,
  certForm,
  pam360Form,
  restartWith,
  submitAndWaitForCard,
  waitForScheduledJob,
  waitForStatus,
} from './chaos-kit.ts';
import { startTcpGate, type TcpGate } from './tcp-gate.ts';

/** The PASSWORD a PAM360 create call's INPUT_DATA carried. */
function passwordSent(body: string): unknown {
  const input: unknown = JSON.parse(new URLSearchParams(body).get('INPUT_DATA') ?? '{}');
  return (input as { operation?: { Details?: { PASSWORD?: unknown } } }).operation?.Details?.PASSWORD;
}

/** Longer than any backoff of the provision policy's first attempts (≤ 40 s). */
const RETRY_DUE_MS = 6 * 60_000;
const FINAL = ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'] as const;

describe('ambiguous create calls: PAM360 and Certification', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('PAM360 response lost after processing → the retry’s pre-check finds the user → SUCCEEDED, one create', async () => {
    const { card, request } = await submitAndWaitForCard(
      h,
      'pam360',
      pam360Form('lostreply1', 'api'),
      'lostreply1',
    );
    const creates = h.pam360.createCalls;
    h.pam360.fault('createUser', { afterProcessing: true, reset: true });

    await approve(h.slack, card, USERS.approver1);
    const note = await waitForReply(h.slack, card, /Attempt 1 of 5/);
    expect(plainText(note)).toMatch(/no answer from PAM360/);
    const waiting = await h.runtime.store.getRequest(request.id);
    expect(waiting.status).toBe('PROVISIONING');
    expect(readFacts(waiting.facts).ambiguousSubmit).toBe(true);
    expect(h.pam360.store.find('lostreply1')).toBeTruthy();

    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');
    const reply = await waitForReply(h.slack, card, /earlier attempt went through/);
    expect(plainText(reply)).toMatch(/token\) must be re-issued/);
    expect(h.pam360.createCalls - creates).toBe(1);
  });

  it('PAM360 reset before processing → the pre-check proves the user absent → re-sent with the same generated password', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('resend01'), 'resend01');
    const creates = h.pam360.createCalls;
    h.pam360.fault('createUser', { reset: true });
    const held = h.pam360.hold('createUser');

    await approve(h.slack, card, USERS.approver1);
    await held.reached;
    const first = passwordSent(h.pam360.lastRequest?.body ?? '');
    held.release();
    await waitForReply(h.slack, card, /Attempt 1 of 5/);
    expect(h.pam360.store.find('resend01')).toBeUndefined();
    expect(first).toBeTruthy();

    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');
    expect(h.pam360.createCalls - creates).toBe(2);
    expect(h.pam360.passwordOf('resend01')).toBe(first);
  });

  it('Certification reset after sending → re-sent (resubmit) → the users exist → NEEDS_ATTENTION, never FAILED', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'cert', certForm('resetcert1'), 'resetcert1');
    const creates = h.cert.createCalls;
    h.cert.fault('users', { reset: true, afterProcessing: true });

    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Attempt 1 of 5/);
    expect(h.cert.users().some((u) => u.userName === 'resetcert1')).toBe(true);
    expect(readFacts((await h.runtime.store.getRequest(request.id)).facts).ambiguousSubmit).toBe(true);

    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('NEEDS_ATTENTION');
    expect(h.cert.createCalls - creates).toBe(2);
    const reply = await waitForReply(h.slack, card, /first attempt may have worked/);
    expect(plainText(reply)).toMatch(/Verify at the vendor/);
    await waitForCardText(h.slack, 'cert', card, /Needs attention/);
    const audit = await h.runtime.store.listAudit(request.id);
    expect(audit.map((a) => a.toStatus)).not.toContain('FAILED');
  });
});

describe('a connection refused before sending is simply retried', () => {
  let h: Harness;
  let gate: TcpGate;
  beforeAll(async () => {
    h = await startHarness();
    gate = await startTcpGate(Number(new URL(h.cert.url).port));
    // Only the users endpoint goes through the gate; the token endpoint stays reachable.
    await restartWith(h, (c) => ({
      ...c,
      vendors: { ...c.vendors, cert: { ...c.vendors.cert, baseUrl: gate.url(c.vendors.cert.baseUrl ?? '') } },
    }));
  });
  afterAll(async () => {
    await h?.close();
    await gate?.close();
  });

  it('ECONNREFUSED on the create (requestSent false) → retried → SUCCEEDED with exactly one create at the sim', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'cert', certForm('refused01'), 'refused01');
    await gate.shut();

    await approve(h.slack, card, USERS.approver1);
    const note = await waitForReply(h.slack, card, /Attempt 1 of 5/);
    expect(plainText(note)).toMatch(/could not reach Certification/);
    expect(h.cert.createCalls).toBe(0);
    const waiting = await h.runtime.store.getRequest(request.id);
    expect(readFacts(waiting.facts).ambiguousSubmit).toBe(false);

    await gate.open();
    await waitForScheduledJob(h, request.id, 'provision');
    advance(h, RETRY_DUE_MS);
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');
    expect(h.cert.createCalls).toBe(1);
    expect(h.cert.users().filter((u) => u.userName === 'refused01')).toHaveLength(1);
  });
});
