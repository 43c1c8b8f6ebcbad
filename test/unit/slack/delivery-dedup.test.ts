import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSecretKey } from '../../../src/secrets/secret-box.ts';
import { DeliveryDedup } from '../../../src/slack/delivery-dedup.ts';
import { openSqliteStore } from '../../../src/store/open-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';

describe('DeliveryDedup (group-committed de-duplication)', () => {
  let dir: string;
  let store: Store;
  let writes: string[][];
  let failNext: boolean;
  const counting = () => ({
    markDeliveries: (ids: readonly string[], expiresAt: Date, now: Date) => {
      writes.push([...ids]);
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('store down'));
      }
      return store.markDeliveries(ids, expiresAt, now);
    },
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'access-desk-dedup-'));
    store = openSqliteStore({ path: join(dir, 'store.db'), secretKey: generateSecretKey() });
    await store.migrate();
    writes = [];
    failNext = false;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a burst of deliveries is one write; a repeated id is a duplicate within it and later', async () => {
    const dedup = new DeliveryDedup(counting(), new FakeClock(), 60_000);
    const firsts = await Promise.all(['a', 'b', 'a', 'c'].map((id) => dedup.isFirst(id)));
    expect(firsts).toEqual([true, true, false, true]);
    expect(writes).toEqual([['a', 'b', 'a', 'c']]);
    expect(await dedup.isFirst('b')).toBe(false);
    expect(writes).toHaveLength(2);
  });

  it('ids asked while a write is in flight go into the next write together', async () => {
    const dedup = new DeliveryDedup(counting(), new FakeClock(), 60_000);
    const first = dedup.isFirst('x');
    await new Promise((r) => setImmediate(r));
    const later = ['y', 'z'].map((id) => dedup.isFirst(id));
    expect(await Promise.all([first, ...later])).toEqual([true, true, true]);
    expect(writes).toEqual([['x'], ['y', 'z']]);
  });

  it('a failed write fails every delivery in it, and the next batch is written again', async () => {
    const dedup = new DeliveryDedup(counting(), new FakeClock(), 60_000);
    failNext = true;
    const failed = ['p', 'q'].map((id) => dedup.isFirst(id).catch((e: Error) => e.message));
    expect(await Promise.all(failed)).toEqual(['store down', 'store down']);
    expect(await dedup.isFirst('p')).toBe(true);
  });
});
