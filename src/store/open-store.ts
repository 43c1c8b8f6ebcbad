/**
 * Opens the configured Store and brings its schema up to date: PostgreSQL when a database URL is
 * set (several replicas share it), else the embedded SQLite file.
 */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { createSecretBox } from '../secrets/secret-box.ts';
import type { SqlDriver } from './sql-driver.ts';
import { SqlStore } from './sql-store.ts';
import { openSqliteDriver } from './sqlite/sqlite-driver.ts';
import type { Store } from './store.ts';

export interface SqliteStoreOptions {
  /** Database file (its folder is created if missing) or ':memory:'. */
  path: string;
  /** Base64 AES-256 key that seals held secrets (ACCESS_DESK_SECRET_KEY). */
  secretKey: string;
}

export interface PostgresStoreOptions {
  /** postgres:// URL; never logged. */
  url: string;
  /** Pooled connections (default 10). */
  poolSize?: number;
  /** Schema to use, created if missing and set as search_path on every connection (tests). */
  schema?: string;
  /** Told about errors of idle pooled connections instead of crashing the process. */
  onIdleError?: (error: Error) => void;
  /** Base64 AES-256 key that seals held secrets (ACCESS_DESK_SECRET_KEY). */
  secretKey: string;
}

/** An SQLite store, not yet migrated. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  return new SqlStore(openSqliteDriver({ path: options.path }), createSecretBox(options.secretKey));
}

/** pg is loaded only when a PostgreSQL store is opened: an SQLite bot starts without it. */
const postgresDriver = () => import('./postgres/postgres-driver.ts');

/** A PostgreSQL store (schema created if one is named), not yet migrated. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { openPostgresDriver } = await postgresDriver();
  return new SqlStore(await openPostgresDriver(options), createSecretBox(options.secretKey));
}

/** The store the settings name, migrated and ready. */
export async function openStore(settings: Config['store'], deps: { log: Logger }): Promise<Store> {
  const log = deps.log.child({ component: 'store' });
  let driver: SqlDriver;
  if (settings.databaseUrl !== undefined) {
    const { openPostgresDriver } = await postgresDriver();
    driver = await openPostgresDriver({
      url: settings.databaseUrl,
      onIdleError: (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'),
    });
  } else {
    driver = openSqliteDriver({ path: settings.sqlitePath });
  }
  const store = new SqlStore(driver, createSecretBox(settings.secretKey));
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  log.info(
    driver.dialect.name === 'sqlite' ? { store: 'sqlite', path: settings.sqlitePath } : { store: 'postgres' },
    'store opened',
  );
  return store;
}
