/** The sweep against a real SQLite store: the oldest pending requests first, with no cap to hide behind. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowDeps, VendorEntry } from '../../../src/flows/deps.ts';
import { sweep } from '../../../src/flows/sweep.ts';
import { generateSecretKey } from '../../../src/secrets/secret-box.ts';
import { openSqliteStore } from '../../../src/store/open-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-12-01T00:00:00Z');

describe('sweep', () => {
  let dir = '';
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('expires an old request even behind a flood of 700 newer ones', async () => {
    dir = mkdtempSync(join(tmpdir(), 'access-desk-sweep-'));
    store = openSqliteStore({ path: join(dir, 'sweep.db'), secretKey: generateSecretKey() });
    await store.migrate();
    const clock = new FakeClock(T0);
    const newRequest = (id: string) => ({
      id,
      vendor: 'pam360' as const,
      requesterId: 'U0REQ',
      teamId: 'T0TEAM',
      payload: {},
      payloadHash: 'h',
      facts: {},
    });
    await store.createRequest(newRequest('old'), { actor: 'U0REQ', action: 'requested' }, [], T0);
    for (let i = 0; i < 700; i++) {
      await store.createRequest(
        newRequest(`new-${i}`),
        { actor: 'U0REQ', action: 'requested' },
        [],
        new Date(T0.getTime() + 71 * HOUR + i),
      );
    }
    const entry = {
      policy: { approvers: ['U0APP'], approverGroups: [], requiredApprovals: 1, allowSelfApproval: false },
      expireAfterHours: 72,
      remindAfterHours: [100],
    } as unknown as VendorEntry;
    const deps: FlowDeps = {
      store,
      clock,
      log: captureLogger().log,
      vendors: new Map([['pam360', entry]]),
      adminUsers: [],
      newId: () => 'x',
      wake: () => undefined,
    };
    clock.advance(72 * HOUR);
    const report = await sweep(deps);
    expect(report.expired).toBe(1);
    expect((await store.getRequest('old')).status).toBe('EXPIRED');
    expect((await store.getRequest('new-0')).status).toBe('PENDING');
    // Once the flood is old too, every one of them goes in one sweep (more than a page).
    clock.advance(72 * HOUR);
    expect((await sweep(deps)).expired).toBe(700);
  });
});
