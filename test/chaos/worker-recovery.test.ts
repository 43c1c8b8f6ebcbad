/**
 * The worker dies or the vendor stays down: leases expire and jobs are reclaimed, retries run out
 * into NEEDS_ATTENTION; in every case the pre-check comes before any create call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { factsPatch, readFacts } from '../../src/domain/facts.ts';
import { vendorEntry } from '../../src/flows/vendor-entry.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { approve, plainText, waitForReply } from '../integration/scenario.ts';
import {
  advance,
  pam360Form,
  pjmForm,
  submitAndWaitForCard,
  waitForScheduledJob,
  waitForStatus,
} from './chaos-kit.ts';

const FINAL = ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'] as const;
const RETRY_DUE_MS = 6 * 60_000;

describe('worker recovery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.pjm.reset();
    h.pam360.reset();
  });

  /** Approve while the live worker is stopped, and let a worker that then dies claim every job. */
  async function approveIntoDeadWorker(card: Parameters<typeof approve>[1], requestId: string) {
    await h.runtime.worker.stop();
    try {
      await approve(h.slack, card, USERS.approver1);
      await waitForStatus(h, requestId, ['APPROVED']);
      const claimed = [];
      for (;;) {
        const next = await h.runtime.store.claimJob('dead-owner', h.config.worker.leaseMs, h.clock.now());
        if (!next) break;
        claimed.push(next);
      }
      const job = claimed.find((j) => j.kind === 'provision' && j.requestId === requestId);
      if (!job) throw new Error('the dead worker did not get the provision job');
      return job;
    } finally {
      h.runtime.worker.start();
    }
  }

  it('a provision job held by a dead worker is reclaimed after the lease → pre-check first → one create', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pjm', pjmForm('leased001'), 'leased001');
    const job = await approveIntoDeadWorker(card, request.id);

    await h.runtime.worker.idle();
    expect((await h.runtime.store.getRequest(request.id)).status).toBe('APPROVED');
    expect(h.pjm.createCalls).toBe(0);

    const seen = h.pjm.requests.length;
    advance(h, h.config.worker.leaseMs + 1_000);
    expect((await waitForStatus(h, request.id, FINAL)).status).toBe('SUCCEEDED');
    const routes = h.pjm.requests.slice(seen).map((r) => r.route);
    expect(routes.indexOf('userSearch')).toBeGreaterThanOrEqual(0);
    expect(routes.indexOf('userSearch')).toBeLessThan(routes.indexOf('registrations'));
    expect(h.pjm.createCalls).toBe(1);
    const reclaimed = await h.runtime.store.getJob(job.id);
    expect(reclaimed?.state).toBe('done');
    expect(reclaimed?.leaseOwner).not.toBe('dead-owner');
    expect(reclaimed?.attempts).toBe(2);
  });

  it('a worker that died after its create reached the vendor → the reclaimed job finds the user, sends nothing', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('leased002'), 'leased002');
    await approveIntoDeadWorker(card, request.id);
    // What the dead worker did before dying: mark the create as ambiguous, then send it.
    const approved = await h.runtime.store.getRequest(request.id);
    await h.runtime.store.transition({
      id: request.id,
      expected: { status: approved.status, version: approved.version },
      to: 'PROVISIONING',
      facts: factsPatch({ ambiguousSubmit: true }),
      audit: { actor: 'system', action: 'create_call_started' },
      at: h.clock.now(),
    });
    const { provisioner } = vendorEntry(h.runtime.deps, 'pam360');
    await provisioner.submit(approved.payload);
    expect(h.pam360.createCalls).toBe(1);

    advance(h, h.config.worker.leaseMs + 1_000);
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('SUCCEEDED');
    expect(readFacts(done.facts).outcome?.kind).toBe('exists');
    await waitForReply(h.slack, card, /earlier attempt went through/);
    expect(h.pam360.createCalls).toBe(1);
  });

  it('PAM360 down (5xx on every call) → "Attempt n of 5" in the thread, then NEEDS_ATTENTION, no create sent', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('alwaysdown'), 'alwaysdown');
    for (const route of ['getUserId', 'createUser'] as const)
      h.pam360.fault(route, { status5xx: 502 }, 1_000);

    await approve(h.slack, card, USERS.approver1);
    for (let attempt = 1; attempt < 5; attempt++) {
      await waitForReply(h.slack, card, new RegExp(`Attempt ${attempt} of 5`));
      await waitForScheduledJob(h, request.id, 'provision');
      advance(h, RETRY_DUE_MS);
    }
    const done = await waitForStatus(h, request.id, FINAL);
    expect(done.status).toBe('NEEDS_ATTENTION');
    const reply = await waitForReply(h.slack, card, /did not answer after 5 attempts/);
    expect(plainText(reply)).toMatch(/checks before sending again/);
    expect(h.pam360.createCalls).toBe(0);
    expect(h.pam360.calls.getUserId).toBeGreaterThanOrEqual(5);
    const notes = h.slack.thread(card.channel, card.ts).filter((m) => /Attempt \d of 5/.test(plainText(m)));
    expect(notes).toHaveLength(4);
    const jobs = await h.runtime.store.listJobs(request.id);
    expect(jobs.filter((j) => j.kind === 'provision')).toHaveLength(1);
  });
});
