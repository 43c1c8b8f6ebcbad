import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../../../src/store/sql-driver.ts';
import { openSqliteDriver } from '../../../src/store/sqlite/sqlite-driver.ts';

describe('SQLite group commit', () => {
  let dir: string;
  let db: SqlDriver;
  let other: SqlDriver | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'access-desk-group-'));
    db = openSqliteDriver({ path: join(dir, 'g.db') });
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });
  afterEach(async () => {
    await other?.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async (d: SqlDriver) => (await d.query('SELECT id, v FROM t ORDER BY id')).map((r) => r.v);

  it('transactions asked for together commit together; a failing one rolls back only its own writes', async () => {
    const results = await Promise.allSettled([
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO t (v) VALUES ('a')");
        return 'a';
      }),
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO t (v) VALUES ('doomed')");
        throw new Error('refused');
      }),
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO t (v) VALUES ('c')");
        return (await tx.query('SELECT count(*) AS n FROM t'))[0]!.n;
      }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'a',
      'refused',
      2,
    ]);
    // Committed, and visible to another connection on the file.
    other = openSqliteDriver({ path: join(dir, 'g.db') });
    expect(await rows(other)).toEqual(['a', 'c']);
  });

  it('a transaction that breaks the whole group (constraint at commit) fails every member, none half-written', async () => {
    await db.execute('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    await db.execute('CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
    const results = await Promise.allSettled([
      db.transaction(async (tx) => tx.execute("INSERT INTO t (v) VALUES ('kept?')")),
      // A deferred foreign key is checked at COMMIT, so the group's COMMIT fails.
      db.transaction(async (tx) => tx.execute('INSERT INTO child (p) VALUES (42)')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await rows(db)).toEqual([]);
    // The driver goes on working after the failed group.
    await db.transaction(async (tx) => tx.execute("INSERT INTO t (v) VALUES ('after')"));
    expect(await rows(db)).toEqual(['after']);
  });
});
