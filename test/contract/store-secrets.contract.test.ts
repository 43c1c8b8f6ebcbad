/** Store contract, part 3: secrets held for users — sealed at rest, revealed once in two phases. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { describeStores } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const MINUTE = 60_000;

/** Both phases of a reveal, as the Reveal button does them once the modal opened. */
async function take(store: Store, id: string, owner: string, now: Date): Promise<string | null> {
  const value = await store.claimSecret(id, owner, now, new Date(now.getTime() + 10_000));
  if (value !== null) await store.deleteSecret(id, 'reveal');
  return value;
}

describe('store contract', () => {
  describeStores('secrets', (ctx) => {
    const withRequest = async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      return req.id;
    };

    it('is revealed once, by its owner only', async () => {
      const id = await withRequest();
      await ctx.store.putSecret(id, 'UOWNER', 'token-abc', at(MINUTE));
      expect(await ctx.store.hasSecret(id, T0)).toBe(true);
      expect(await take(ctx.store, id, 'USTRANGER', T0)).toBeNull();
      expect(await ctx.store.hasSecret(id, T0)).toBe(true);
      expect(await take(ctx.store, id, 'UOWNER', at(1))).toBe('token-abc');
      expect(await take(ctx.store, id, 'UOWNER', at(2))).toBeNull();
      expect(await ctx.store.hasSecret(id, at(2))).toBe(false);
    });

    it('is stored sealed: the table holds neither the value nor the same bytes twice', async () => {
      const id = await withRequest();
      await ctx.store.putSecret(id, 'UOWNER', 'token-plain-7f3a', at(MINUTE));
      await ctx.store.putSecret(id, 'UOWNER', 'token-plain-7f3a', at(MINUTE), 'passwords');
      const driver = await ctx.db.driver();
      const rows = await driver.query('SELECT sealed FROM user_secrets WHERE request_id = $1', [id]);
      const sealed = rows.map((r) => String(r.sealed));
      expect(sealed).toHaveLength(2);
      for (const s of sealed) {
        expect(s).toMatch(/^v1\./);
        expect(s).not.toContain('token-plain');
        expect(Buffer.from(s.split('.')[3] ?? '', 'base64url').toString('latin1')).not.toContain(
          'token-plain',
        );
      }
      expect(sealed[0]).not.toBe(sealed[1]);
    });

    it('a value copied onto another row does not open', async () => {
      const a = await withRequest();
      const b = await withRequest();
      await ctx.store.putSecret(a, 'UOWNER', 'token-of-a', at(MINUTE));
      await ctx.store.putSecret(b, 'UOWNER', 'token-of-b', at(MINUTE));
      const driver = await ctx.db.driver();
      await driver.execute(
        "UPDATE user_secrets SET sealed = (SELECT sealed FROM user_secrets WHERE request_id = $1 AND purpose = 'reveal') WHERE request_id = $2",
        [a, b],
      );
      await expect(ctx.store.readSecret(b, 'reveal', T0)).rejects.toThrow();
      expect(await ctx.store.readSecret(a, 'reveal', T0)).toBe('token-of-a');
    });

    it('a claimed secret waits for the claim to end; a released one can be claimed at once', async () => {
      const id = await withRequest();
      await ctx.store.putSecret(id, 'UOWNER', 'token-two-phase', at(MINUTE));
      expect(await ctx.store.claimSecret(id, 'UOWNER', T0, at(10_000))).toBe('token-two-phase');
      expect(await ctx.store.claimSecret(id, 'UOWNER', at(5_000), at(15_000))).toBeNull();
      await ctx.store.releaseSecret(id);
      expect(await ctx.store.claimSecret(id, 'UOWNER', at(6_000), at(16_000))).toBe('token-two-phase');
      // A claim whose click died (no release, no delete) lapses by itself.
      expect(await ctx.store.claimSecret(id, 'UOWNER', at(16_000), at(26_000))).toBe('token-two-phase');
      expect(await ctx.store.deleteSecret(id, 'reveal')).toBe(true);
      expect(await ctx.store.claimSecret(id, 'UOWNER', at(30_000), at(40_000))).toBeNull();
    });

    it('concurrent claims: exactly one gets the secret', async () => {
      const id = await withRequest();
      await ctx.store.putSecret(id, 'UOWNER', 'token-race', at(MINUTE));
      const other = await ctx.another({ poolSize: 5 });
      const taken = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? other : ctx.store).claimSecret(id, 'UOWNER', T0, at(10_000)),
        ),
      );
      expect(taken.filter((v) => v !== null)).toEqual(['token-race']);
    });

    it('is not returned once expired, and purge deletes only expired ones', async () => {
      const expired = await withRequest();
      const live = await withRequest();
      await ctx.store.putSecret(expired, 'UOWNER', 'old', at(MINUTE));
      await ctx.store.putSecret(live, 'UOWNER', 'new', at(2 * MINUTE));
      expect(await ctx.store.hasSecret(expired, at(MINUTE))).toBe(false);
      expect(await take(ctx.store, expired, 'UOWNER', at(MINUTE))).toBeNull();
      expect(await ctx.store.purgeSecrets(at(MINUTE))).toBe(1);
      expect(await ctx.store.purgeSecrets(at(MINUTE))).toBe(0);
      expect(await take(ctx.store, live, 'UOWNER', at(MINUTE))).toBe('new');
    });

    it('a second put replaces the first; purposes are kept apart', async () => {
      const id = await withRequest();
      await ctx.store.putSecret(id, 'UOWNER', 'first', at(MINUTE));
      await ctx.store.putSecret(id, 'UOTHER', 'second', at(2 * MINUTE));
      await ctx.store.putSecret(id, 'UOWNER', '{"jdoe":"pw"}', at(2 * MINUTE), 'passwords');
      expect(await take(ctx.store, id, 'UOWNER', T0)).toBeNull();
      expect(await take(ctx.store, id, 'UOTHER', T0)).toBe('second');
      expect(await ctx.store.readSecret(id, 'passwords', T0)).toBe('{"jdoe":"pw"}');
      expect(await ctx.store.hasSecret(id, T0)).toBe(false);
    });

    it('held passwords go when the request becomes final (a transition or a denial); a reveal stays', async () => {
      const provisioned = await withRequest();
      const denied = await withRequest();
      for (const id of [provisioned, denied]) {
        await ctx.store.putSecret(id, 'UREQUESTER', '{"jdoe":"pw"}', at(MINUTE), 'passwords');
      }
      await ctx.store.putSecret(provisioned, 'UREQUESTER', 'token-kept', at(MINUTE));
      await ctx.store.transition({
        id: provisioned,
        expected: { status: 'PENDING', version: 1 },
        to: 'CANCELLED',
        audit: { actor: 'UREQUESTER', action: 'cancelled' },
        at: at(1),
      });
      const result = await ctx.store.recordDecision({
        requestId: denied,
        approverId: 'UAPPROVER',
        decision: 'deny',
        reason: 'no',
        payloadHash: 'hash-1',
        requiredApprovals: 1,
        at: at(1),
        jobsIfApproved: [],
        jobsIfDenied: [],
        jobs: [],
      });
      expect(result).toMatchObject({ transitioned: true, droppedSecrets: true });
      expect(await ctx.store.readSecret(provisioned, 'passwords', at(2))).toBeNull();
      expect(await ctx.store.readSecret(denied, 'passwords', at(2))).toBeNull();
      expect(await ctx.store.readSecret(provisioned, 'reveal', at(2))).toBe('token-kept');
    });

    it('seals, on migrate, a value the 0002 migration moved over in plain text', async () => {
      const id = await withRequest();
      const driver = await ctx.db.driver();
      await driver.execute(
        "INSERT INTO user_secrets (request_id, purpose, owner_id, sealed, expires_at) VALUES ($1, 'reveal', 'UOWNER', 'plain:token-legacy', $2)",
        [id, at(MINUTE).getTime()],
      );
      await ctx.store.migrate();
      const [row] = await driver.query('SELECT sealed FROM user_secrets WHERE request_id = $1', [id]);
      expect(String(row?.sealed)).toMatch(/^v1\./);
      expect(await take(ctx.store, id, 'UOWNER', T0)).toBe('token-legacy');
    });
  });
});

describe('store contract: expiry and order', () => {
  describeStores('decisions past expiry', (ctx) => {
    it('recordDecision refuses a PENDING request past its expiry, even before any sweep', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      const decision = {
        requestId: req.id,
        approverId: 'UAPPROVER',
        decision: 'approve' as const,
        reason: null,
        payloadHash: 'hash-1',
        requiredApprovals: 1,
        jobsIfApproved: [],
        jobsIfDenied: [],
        jobs: [],
        expireAfterMs: 72 * 3_600_000,
      };
      await expect(ctx.store.recordDecision({ ...decision, at: at(72 * 3_600_000) })).rejects.toThrow(
        /has expired: it waited more than 72 h/,
      );
      expect(await ctx.store.getRequest(req.id)).toMatchObject({ status: 'PENDING', version: 1 });
      expect(await ctx.store.listApprovals(req.id)).toEqual([]);
      const ok = await ctx.store.recordDecision({ ...decision, at: at(72 * 3_600_000 - 1) });
      expect(ok).toMatchObject({ transitioned: true, request: { status: 'APPROVED' } });
    });

    it('lists oldest first and pages with a keyset', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const req = newRequest();
        await ctx.store.createRequest(req, requested, [], at(i * 1000));
        ids.push(req.id);
      }
      const first = await ctx.store.listRequests({ oldestFirst: true, limit: 2 });
      expect(first.map((r) => r.id)).toEqual(ids.slice(0, 2));
      const last = first[1]!;
      const next = await ctx.store.listRequests({
        oldestFirst: true,
        limit: 10,
        after: { createdAt: last.createdAt, id: last.id },
        createdBefore: at(4000),
      });
      expect(next.map((r) => r.id)).toEqual(ids.slice(2, 4));
    });
  });
});
