/** Store contract, part 1: requests, transitions, decisions, queries — run on every back end. */
import { describe, expect, it } from 'vitest';
import { NotAllowedError, RequestNotFoundError, TransitionConflictError } from '../../src/errors.ts';
import type { DecisionInput } from '../../src/store/store.ts';
import { describeStores } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const decision = (
  requestId: string,
  approverId: string,
  extra: Partial<DecisionInput> = {},
): DecisionInput => ({
  requestId,
  approverId,
  decision: 'approve',
  reason: null,
  payloadHash: 'hash-1',
  requiredApprovals: 1,
  at: at(60_000),
  jobsIfApproved: [{ kind: 'provision', requestId }],
  jobsIfDenied: [{ kind: 'notify-requester', requestId }],
  jobs: [{ kind: 'render-card', requestId, dedupeKey: `card:${requestId}` }],
  ...extra,
});

describe('store contract', () => {
  describeStores('requests', (ctx) => {
    it('creates a PENDING request at version 1 with its audit event and jobs, and reads it back', async () => {
      const req = newRequest();
      const created = await ctx.store.createRequest(
        req,
        requested,
        [{ kind: 'precheck', requestId: req.id }],
        T0,
      );
      const read = await ctx.store.getRequest(req.id);
      expect(read).toEqual(created);
      expect(read).toMatchObject({
        id: req.id,
        vendor: 'pjm',
        requesterId: 'UREQUESTER',
        teamId: 'T0TEAM',
        payload: req.payload,
        payloadHash: 'hash-1',
        status: 'PENDING',
        version: 1,
        createdAt: T0,
        updatedAt: T0,
        card: null,
        facts: { precheck: 'absent' },
      });
      const audit = await ctx.store.listAudit(req.id);
      expect(audit).toMatchObject([
        { actor: 'UREQUESTER', action: 'requested', fromStatus: null, toStatus: 'PENDING' },
      ]);
      expect((await ctx.store.listJobs(req.id)).map((j) => [j.kind, j.state, j.runAfter])).toEqual([
        ['precheck', 'queued', T0],
      ]);
    });

    it('throws RequestNotFoundError for an unknown id', async () => {
      await expect(ctx.store.getRequest('req-missing')).rejects.toBeInstanceOf(RequestNotFoundError);
      await expect(
        ctx.store.setCard('req-missing', { channel: 'C1', ts: '1.2' }, null),
      ).rejects.toBeInstanceOf(RequestNotFoundError);
    });

    it('remembers the card without a version change, compare-and-swap on the previous card', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const cards = [
        { channel: 'C0APPROVE', ts: '1700000000.000100' },
        { channel: 'C0APPROVE', ts: '1700000000.000200' },
      ];
      // Either write may reach the database first (PostgreSQL runs them on two connections).
      const won = await Promise.all(cards.map((card) => ctx.store.setCard(req.id, card, null)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const first = cards[won.indexOf(true)] ?? null;
      expect(await ctx.store.getRequest(req.id)).toMatchObject({ card: first, version: 1 });
      const reposted = { channel: 'C0APPROVE', ts: '1700000000.000300' };
      expect(await ctx.store.setCard(req.id, reposted, { channel: 'C0APPROVE', ts: 'stale' })).toBe(false);
      expect(await ctx.store.setCard(req.id, reposted, first)).toBe(true);
      expect((await ctx.store.getRequest(req.id)).card).toEqual(reposted);
    });
  });

  describeStores('transition', (ctx) => {
    it('updates status, bumps the version, merges facts, audits and enqueues in one step', async () => {
      const req = newRequest({ facts: { precheck: 'absent', keep: 1 } });
      await ctx.store.createRequest(req, requested, [], T0);
      const next = await ctx.store.transition({
        id: req.id,
        expected: { status: 'PENDING', version: 1 },
        to: 'APPROVED',
        facts: { precheck: 'exists', extra: [1, 'two'] },
        audit: { actor: 'UAPPROVER', action: 'approved', detail: { note: 'ok' } },
        jobs: [{ kind: 'provision', requestId: req.id }],
        at: at(1000),
      });
      expect(next).toMatchObject({ status: 'APPROVED', version: 2, updatedAt: at(1000), createdAt: T0 });
      expect(next.facts).toEqual({ precheck: 'exists', keep: 1, extra: [1, 'two'] });
      expect(await ctx.store.getRequest(req.id)).toEqual(next);
      expect((await ctx.store.listAudit(req.id)).at(-1)).toMatchObject({
        actor: 'UAPPROVER',
        action: 'approved',
        fromStatus: 'PENDING',
        toStatus: 'APPROVED',
        detail: { note: 'ok' },
        at: at(1000),
      });
      expect((await ctx.store.listJobs(req.id)).map((j) => j.kind)).toEqual(['provision']);
    });

    it('refuses a stale version with the current state and the last actor, changing nothing', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const base = { id: req.id, at: at(1) };
      await ctx.store.transition({
        ...base,
        expected: { status: 'PENDING', version: 1 },
        to: 'CANCELLED',
        audit: { actor: 'UREQUESTER', action: 'cancelled' },
      });
      const error = await ctx.store
        .transition({
          ...base,
          expected: { status: 'PENDING', version: 1 },
          to: 'EXPIRED',
          audit: { actor: 'system', action: 'expired' },
          jobs: [{ kind: 'x', requestId: req.id }],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransitionConflictError);
      expect(error).toMatchObject({ current: { status: 'CANCELLED', version: 2 }, winner: 'UREQUESTER' });
      expect(await ctx.store.listAudit(req.id)).toHaveLength(2);
      expect(await ctx.store.listJobs(req.id)).toEqual([]);
    });

    it('throws RequestNotFoundError for an unknown request', async () => {
      await expect(
        ctx.store.transition({
          id: 'req-missing',
          expected: { status: 'PENDING', version: 1 },
          to: 'CANCELLED',
          audit: { actor: 'system', action: 'x' },
          at: T0,
        }),
      ).rejects.toBeInstanceOf(RequestNotFoundError);
    });

    it('50 concurrent transitions from the same version: exactly one wins, 49 conflicts name it', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          ctx.store.transition({
            id: req.id,
            expected: { status: 'PENDING', version: 1 },
            to: 'APPROVED',
            audit: { actor: `U${i}`, action: 'approved' },
            jobs: [{ kind: 'provision', requestId: req.id }],
            at: at(i),
          }),
        ),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      const winner = (await ctx.store.listAudit(req.id)).at(-1)?.actor;
      expect(lost).toHaveLength(49);
      for (const e of lost) {
        expect(e).toBeInstanceOf(TransitionConflictError);
        expect(e).toMatchObject({ current: { status: 'APPROVED', version: 2 }, winner });
      }
      expect((await ctx.store.listAudit(req.id)).filter((a) => a.action === 'approved')).toHaveLength(1);
      expect(await ctx.store.listJobs(req.id)).toHaveLength(1);
      expect(await ctx.store.getRequest(req.id)).toMatchObject({ status: 'APPROVED', version: 2 });
    });
  });

  describeStores('decisions', (ctx) => {
    it('50 concurrent approvals of one request (1 required): one wins, 49 conflicts name it, one job', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => ctx.store.recordDecision(decision(req.id, `UAPPROVER${i}`))),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      const winner = won[0]?.approvals[0]?.approverId;
      expect(won[0]).toMatchObject({ transitioned: true, request: { status: 'APPROVED', version: 2 } });
      for (const e of lost) {
        expect(e).toBeInstanceOf(TransitionConflictError);
        expect(e).toMatchObject({ current: { status: 'APPROVED', version: 2 }, winner });
      }
      const audit = await ctx.store.listAudit(req.id);
      expect(audit.map((a) => [a.action, a.actor])).toEqual([
        ['requested', 'UREQUESTER'],
        ['approved', winner],
      ]);
      const jobs = await ctx.store.listJobs(req.id);
      expect(jobs.filter((j) => j.kind === 'provision')).toHaveLength(1);
      expect(jobs).toHaveLength(2);
      expect(await ctx.store.listApprovals(req.id)).toHaveLength(1);
    });

    it('needs 2 distinct approvals when 2 are required', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const first = await ctx.store.recordDecision(
        decision(req.id, 'UA', { requiredApprovals: 2, at: at(1) }),
      );
      expect(first).toMatchObject({ transitioned: false, request: { status: 'PENDING', version: 1 } });
      expect(first.approvals.map((a) => a.approverId)).toEqual(['UA']);
      expect((await ctx.store.listJobs(req.id)).map((j) => j.kind)).toEqual(['render-card']);
      const second = await ctx.store.recordDecision(
        decision(req.id, 'UB', { requiredApprovals: 2, at: at(2) }),
      );
      expect(second).toMatchObject({ transitioned: true, request: { status: 'APPROVED', version: 2 } });
      expect(second.approvals.map((a) => [a.approverId, a.decision, a.decidedAt])).toEqual([
        ['UA', 'approve', at(1)],
        ['UB', 'approve', at(2)],
      ]);
      const audit = await ctx.store.listAudit(req.id);
      expect(audit.map((a) => [a.action, a.actor, a.fromStatus, a.toStatus])).toEqual([
        ['requested', 'UREQUESTER', null, 'PENDING'],
        ['approval_recorded', 'UA', null, null],
        ['approved', 'UB', 'PENDING', 'APPROVED'],
      ]);
      // The first render-card job is still queued, so the second coalesced into it.
      expect((await ctx.store.listJobs(req.id)).map((j) => j.kind).sort()).toEqual([
        'provision',
        'render-card',
      ]);
    });

    it('10 concurrent approvals with 2 required: exactly 2 recorded, one transition, 8 conflicts', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          ctx.store.recordDecision(decision(req.id, `UAPPROVER${i}`, { requiredApprovals: 2 })),
        ),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won.map((r) => r.transitioned).sort()).toEqual([false, true]);
      expect(lost).toHaveLength(8);
      for (const e of lost) expect(e).toBeInstanceOf(TransitionConflictError);
      expect(await ctx.store.listApprovals(req.id)).toHaveLength(2);
      expect(await ctx.store.getRequest(req.id)).toMatchObject({ status: 'APPROVED', version: 2 });
      expect((await ctx.store.listJobs(req.id)).filter((j) => j.kind === 'provision')).toHaveLength(1);
    });

    it('refuses a second decision by the same approver and changes nothing', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      await ctx.store.recordDecision(decision(req.id, 'UA', { requiredApprovals: 3 }));
      const before = { audit: await ctx.store.listAudit(req.id), jobs: await ctx.store.listJobs(req.id) };
      const again = ctx.store.recordDecision(
        decision(req.id, 'UA', { requiredApprovals: 1, jobs: [{ kind: 'y', requestId: req.id }] }),
      );
      await expect(again).rejects.toBeInstanceOf(NotAllowedError);
      await expect(again).rejects.toMatchObject({ reason: 'You already approved this request' });
      const denyAgain = ctx.store.recordDecision(decision(req.id, 'UA', { decision: 'deny', reason: 'no' }));
      await expect(denyAgain).rejects.toMatchObject({ reason: 'You already approved this request' });
      expect(await ctx.store.getRequest(req.id)).toMatchObject({ status: 'PENDING', version: 1 });
      expect(await ctx.store.listAudit(req.id)).toEqual(before.audit);
      expect(await ctx.store.listJobs(req.id)).toEqual(before.jobs);
      expect(await ctx.store.listApprovals(req.id)).toHaveLength(1);
    });

    it('denies at once with the reason, enqueueing the deny jobs', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      await ctx.store.recordDecision(decision(req.id, 'UA', { requiredApprovals: 2 }));
      const result = await ctx.store.recordDecision(
        decision(req.id, 'UB', { decision: 'deny', reason: 'not this quarter', requiredApprovals: 2 }),
      );
      expect(result).toMatchObject({ transitioned: true, request: { status: 'DENIED', version: 2 } });
      expect(result.approvals.find((a) => a.approverId === 'UB')).toMatchObject({
        decision: 'deny',
        reason: 'not this quarter',
      });
      expect((await ctx.store.listAudit(req.id)).at(-1)).toMatchObject({
        actor: 'UB',
        action: 'denied',
        fromStatus: 'PENDING',
        toStatus: 'DENIED',
        detail: { reason: 'not this quarter' },
      });
      const kinds = (await ctx.store.listJobs(req.id)).map((j) => j.kind).sort();
      expect(kinds).toEqual(['notify-requester', 'render-card']);
      const late = ctx.store.recordDecision(decision(req.id, 'UC'));
      await expect(late).rejects.toMatchObject({ current: { status: 'DENIED', version: 2 }, winner: 'UB' });
    });

    it('refuses a decision on a stale payload hash', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const stale = ctx.store.recordDecision(decision(req.id, 'UA', { payloadHash: 'hash-0' }));
      await expect(stale).rejects.toBeInstanceOf(TransitionConflictError);
      await expect(stale).rejects.toMatchObject({ current: { status: 'PENDING', version: 1 } });
      expect(await ctx.store.listApprovals(req.id)).toEqual([]);
      expect(await ctx.store.listJobs(req.id)).toEqual([]);
    });

    it('throws RequestNotFoundError for a decision on an unknown request', async () => {
      await expect(ctx.store.recordDecision(decision('req-missing', 'UA'))).rejects.toBeInstanceOf(
        RequestNotFoundError,
      );
    });
  });

  describeStores('queries', (ctx) => {
    it('listRequests filters by requester, vendor, statuses and age, newest first, with a limit', async () => {
      const a = newRequest({ id: 'req-a', requesterId: 'U1', vendor: 'pjm' });
      const b = newRequest({ id: 'req-b', requesterId: 'U1', vendor: 'pam360' });
      const c = newRequest({ id: 'req-c', requesterId: 'U2', vendor: 'pjm' });
      await ctx.store.createRequest(a, requested, [], at(1));
      await ctx.store.createRequest(b, requested, [], at(2));
      await ctx.store.createRequest(c, requested, [], at(3));
      await ctx.store.transition({
        id: 'req-b',
        expected: { status: 'PENDING', version: 1 },
        to: 'CANCELLED',
        audit: { actor: 'U1', action: 'cancelled' },
        at: at(4),
      });
      const ids = async (q: Parameters<typeof ctx.store.listRequests>[0]) =>
        (await ctx.store.listRequests(q)).map((r) => r.id);
      expect(await ids({})).toEqual(['req-c', 'req-b', 'req-a']);
      expect(await ids({ requesterId: 'U1' })).toEqual(['req-b', 'req-a']);
      expect(await ids({ vendor: 'pjm' })).toEqual(['req-c', 'req-a']);
      expect(await ids({ statuses: ['PENDING'] })).toEqual(['req-c', 'req-a']);
      expect(await ids({ statuses: ['CANCELLED', 'DENIED'] })).toEqual(['req-b']);
      expect(await ids({ statuses: [] })).toEqual([]);
      expect(await ids({ createdBefore: at(3) })).toEqual(['req-b', 'req-a']);
      expect(
        await ids({ requesterId: 'U1', statuses: ['PENDING'], vendor: 'pjm', createdBefore: at(2) }),
      ).toEqual(['req-a']);
      expect(await ids({ limit: 2 })).toEqual(['req-c', 'req-b']);
    });

    it('exportAudit returns events in [since, until), oldest first, across requests', async () => {
      const a = newRequest();
      const b = newRequest();
      await ctx.store.createRequest(b, requested, [], at(20));
      await ctx.store.createRequest(a, requested, [], at(10));
      await ctx.store.appendAudit(a.id, { actor: 'UREQUESTER', action: 'token_revealed' }, at(30));
      await ctx.store.appendAudit(null, { actor: 'system', action: 'audit_exported', detail: 'all' }, at(30));
      await ctx.store.appendAudit(b.id, { actor: 'system', action: 'late' }, at(40));
      const events = await ctx.store.exportAudit(at(10), at(40));
      expect(events.map((e) => [e.action, e.requestId, e.at])).toEqual([
        ['requested', a.id, at(10)],
        ['requested', b.id, at(20)],
        ['token_revealed', a.id, at(30)],
        ['audit_exported', null, at(30)],
      ]);
      expect(events[3]).toMatchObject({ detail: 'all', fromStatus: null, toStatus: null });
      expect(await ctx.store.exportAudit(at(41), at(100))).toEqual([]);
    });
  });
});
