import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSecretKey } from '../../../src/secrets/secret-box.ts';
import { openStore } from '../../../src/store/open-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { captureLogger } from '../../fakes/capture-log.ts';

describe('openStore', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('opens and migrates SQLite at sqlitePath, creating its folder, when no databaseUrl is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-desk-open-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'data', 'access-desk.db');
    const { log, lines } = captureLogger();
    const store: Store = await openStore({ sqlitePath: path, secretKey: generateSecretKey() }, { log });
    cleanup.push(() => store.close());
    expect(existsSync(path)).toBe(true);
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ msg: 'store opened', store: 'sqlite', path }),
    );
    // Migrated: the schema is there without calling migrate().
    expect(await store.markDelivery('Ev1', new Date(2000), new Date(1000))).toBe(true);
  });

  it('fails with the database error, and logs no URL, when PostgreSQL is unreachable', async () => {
    const { log, text } = captureLogger();
    const url = 'postgres://user:hunter2@127.0.0.1:1/none';
    const opening = openStore(
      { sqlitePath: ':memory:', databaseUrl: url, secretKey: generateSecretKey() },
      { log },
    );
    await expect(opening).rejects.toThrow();
    await opening.catch((e: unknown) => expect(String(e)).not.toContain('hunter2'));
    expect(text()).not.toContain('hunter2');
  });
});
