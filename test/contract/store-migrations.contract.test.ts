/** Store contract, part 3: migrations — repeatable, and safe from several processes at once. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrations.ts';
import { listAppliedMigrations } from '../../src/store/sql-migrate.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.ts';
import type { Store } from '../../src/store/store.ts';
import { describeStores } from './store-backends.ts';
import { newRequest, requested, T0 } from './store-fixtures.ts';

const fixture = fileURLToPath(new URL('./fixtures/migrate-store.ts', import.meta.url));

/** A child process that has opened the store and waits for a line on stdin to migrate. */
async function readyMigrator(kind: string, location: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture, kind, location], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return child;
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = await once(child, 'exit');
  return typeof code === 'number' ? code : null;
}

const migrationIds = (kind: 'sqlite' | 'postgres') =>
  (kind === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS).map((m) => m.id);

async function usable(store: Store): Promise<void> {
  const req = newRequest();
  await store.createRequest(req, requested, [{ kind: 'precheck', requestId: req.id }], T0);
  expect(await store.getRequest(req.id)).toMatchObject({ id: req.id, version: 1 });
}

describe('store contract', () => {
  describeStores(
    'migrations',
    (ctx) => {
      it('runs twice in a row, applying each migration once', async () => {
        await ctx.store.migrate();
        await ctx.store.migrate();
        expect(await listAppliedMigrations(await ctx.db.driver())).toEqual(migrationIds(ctx.db.kind));
        await usable(ctx.store);
      });

      it('runs from two store instances at once', async () => {
        const other = await ctx.db.open({ poolSize: 2 });
        await Promise.all([ctx.store.migrate(), other.migrate()]);
        expect(await listAppliedMigrations(await ctx.db.driver())).toEqual(migrationIds(ctx.db.kind));
        await usable(other);
      });

      it('runs from several processes at once', async () => {
        const children = await Promise.all([1, 2, 3].map(() => readyMigrator(ctx.db.kind, ctx.db.location)));
        const exits = children.map(exitCode);
        for (const child of children) child.stdin?.end('go\n');
        expect(await Promise.all(exits)).toEqual([0, 0, 0]);
        expect(await listAppliedMigrations(await ctx.db.driver())).toEqual(migrationIds(ctx.db.kind));
        await ctx.store.migrate();
        await usable(ctx.store);
      });

      it('keeps the audit trail append-only', async () => {
        await ctx.store.migrate();
        await usable(ctx.store);
        const driver = await ctx.db.driver();
        await expect(driver.execute("UPDATE audit SET actor = 'someone-else'")).rejects.toThrow(
          /append-only/,
        );
        await expect(driver.execute('DELETE FROM audit')).rejects.toThrow(/append-only/);
        expect(await driver.query('SELECT actor FROM audit')).toEqual([
          expect.objectContaining({ actor: 'UREQUESTER' }),
        ]);
      });
    },
    { migrate: false },
  );
});
