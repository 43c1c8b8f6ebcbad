/** Store contract, the requester's edit: one conditional write that resets the approvals of the old payload. */
import { describe, expect, it } from 'vitest';
import { TransitionConflictError } from '../../src/errors.ts';
import type { DecisionInput, EditInput } from '../../src/store/store.ts';
import { describeStores } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const approve = (requestId: string, approverId: string, payloadHash: string, ms = 1): DecisionInput => ({
  requestId,
  approverId,
  decision: 'approve',
  reason: null,
  payloadHash,
  requiredApprovals: 2,
  at: at(ms),
  jobsIfApproved: [{ kind: 'provision', requestId }],
  jobsIfDenied: [],
  jobs: [],
});

const edit = (id: string, version: number, extra: Partial<EditInput> = {}): EditInput => ({
  id,
  expected: { status: 'PENDING', version },
  payload: { username: 'jdoe2' },
  payloadHash: 'hash-2',
  heldPasswords: null,
  at: at(10_000),
  write: (reset) => ({
    facts: { edited: { approvalsReset: reset.length } },
    audit: { actor: 'UREQUESTER', action: 'edited', detail: { resetApprovers: [...reset] } },
    jobs: [{ kind: 'render-card', requestId: id }],
  }),
  ...extra,
});

describe('store contract', () => {
  describeStores('edits', (ctx) => {
    it('replaces payload, hash and facts, resets the approvals of the old hash, audits and enqueues in one step', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      await ctx.store.recordDecision(approve(req.id, 'UA', 'hash-1'));
      const { request, resetApprovers } = await ctx.store.editRequest(edit(req.id, 1));
      expect(resetApprovers).toEqual(['UA']);
      expect(request).toMatchObject({
        status: 'PENDING',
        version: 2,
        payload: { username: 'jdoe2' },
        payloadHash: 'hash-2',
        facts: { edited: { approvalsReset: 1 } },
      });
      expect(await ctx.store.listApprovals(req.id)).toEqual([]);
      const audit = await ctx.store.listAudit(req.id);
      expect(audit.at(-1)).toMatchObject({
        action: 'edited',
        fromStatus: 'PENDING',
        toStatus: 'PENDING',
        detail: { resetApprovers: ['UA'] },
      });
      expect((await ctx.store.listJobs(req.id)).map((j) => j.kind)).toEqual(['render-card']);

      // A click on the old card is refused as an edit; the same approver may approve the new version.
      const stale = ctx.store.recordDecision(approve(req.id, 'UB', 'hash-1', 20_000));
      await expect(stale).rejects.toBeInstanceOf(TransitionConflictError);
      await expect(stale).rejects.toMatchObject({ edited: true, current: { status: 'PENDING' } });
      const again = await ctx.store.recordDecision(approve(req.id, 'UA', 'hash-2', 20_000));
      expect(again).toMatchObject({ transitioned: false, request: { status: 'PENDING' } });
    });

    it('replaces the held passwords with the edit’s, or drops them when it has none', async () => {
      const req = newRequest({ heldPasswords: { value: '{"jdoe":"Old123!pw"}', expiresAt: at(3_600_000) } });
      await ctx.store.createRequest(req, requested, [], T0);
      await ctx.store.editRequest(
        edit(req.id, 1, { heldPasswords: { value: '{"jdoe2":"New456!pw"}', expiresAt: at(3_600_000) } }),
      );
      expect(await ctx.store.readSecret(req.id, 'passwords', at(20_000))).toBe('{"jdoe2":"New456!pw"}');
      await ctx.store.editRequest(edit(req.id, 2, { heldPasswords: null }));
      expect(await ctx.store.readSecret(req.id, 'passwords', at(20_000))).toBeNull();
    });

    it('refuses a stale version or a decided request, changing nothing', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      await expect(ctx.store.editRequest(edit(req.id, 7))).rejects.toBeInstanceOf(TransitionConflictError);
      await ctx.store.recordDecision({ ...approve(req.id, 'UA', 'hash-1'), requiredApprovals: 1 });
      const late = ctx.store.editRequest(edit(req.id, 1));
      await expect(late).rejects.toMatchObject({ current: { status: 'APPROVED' }, edited: false });
      expect(await ctx.store.getRequest(req.id)).toMatchObject({ payloadHash: 'hash-1', status: 'APPROVED' });
    });

    it('an edit racing 10 approvals of the old payload: no approval of the old payload survives it', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const results = await Promise.allSettled([
        ...Array.from({ length: 5 }, (_, i) => ctx.store.recordDecision(approve(req.id, `UA${i}`, 'hash-1'))),
        ctx.store.editRequest(edit(req.id, 1)),
        ...Array.from({ length: 5 }, (_, i) => ctx.store.recordDecision(approve(req.id, `UB${i}`, 'hash-1'))),
      ]);
      const now = await ctx.store.getRequest(req.id);
      const approvals = await ctx.store.listApprovals(req.id);
      if (now.status === 'PENDING') {
        // The edit won: approvals before it were reset, those after it refused.
        expect(now.payloadHash).toBe('hash-2');
        expect(approvals).toEqual([]);
      } else {
        // Two approvals landed first and approved the old payload: the edit was refused.
        expect(now).toMatchObject({ status: 'APPROVED', payloadHash: 'hash-1' });
        expect(results[5]?.status).toBe('rejected');
      }
    });
  });
});
