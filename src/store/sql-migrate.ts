/**
 * Applies the dialect's numbered migrations that schema_migrations does not list yet, all in one
 * transaction. Concurrent migrators queue on the dialect's lock (PostgreSQL advisory lock; SQLite's
 * BEGIN IMMEDIATE), and each checks what is applied only once it holds it, so running twice or from
 * several processes at once applies every migration exactly once.
 */
import type { SqlDriver, SqlExecutor } from './sql-driver.ts';
import { toTextId } from './sql-rows.ts';

export async function runMigrations(driver: SqlDriver, at: Date = new Date()): Promise<string[]> {
  return driver.transaction(async (tx) => {
    if (driver.dialect.migrationLock) await tx.query(driver.dialect.migrationLock);
    await tx.execute(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(await appliedIds(tx));
    const ran: string[] = [];
    for (const migration of driver.dialect.migrations) {
      if (applied.has(migration.id)) continue;
      for (const statement of migration.statements) await tx.execute(statement);
      await tx.execute('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
        migration.id,
        at.getTime(),
      ]);
      ran.push(migration.id);
    }
    return ran;
  });
}

/** Ids of the applied migrations, in order; call after migrate (the table exists from then on). */
export async function listAppliedMigrations(driver: SqlDriver): Promise<string[]> {
  return appliedIds(driver);
}

async function appliedIds(tx: SqlExecutor): Promise<string[]> {
  return (await tx.query('SELECT id FROM schema_migrations ORDER BY id')).map(toTextId);
}
