/**
 * pg behind the SqlDriver seam: a Pool for plain statements, one pooled client per transaction.
 * Rows are handed over raw (int8 arrives as a string) and parsed by sql-rows.ts.
 */
import pg from 'pg';
import { z } from 'zod';
import type { SqlDialect, SqlDriver, SqlExecutor, SqlParam, SqlRow } from '../sql-driver.ts';
import { listenForJobs, NOTIFY_JOBS } from './postgres-listener.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.ts';

export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  forUpdate: ' FOR UPDATE',
  skipLocked: ' FOR UPDATE SKIP LOCKED',
  // Keyed by schema, so test schemas on one database migrate side by side.
  migrationLock: "SELECT pg_advisory_xact_lock(hashtext('access-desk-migrate:' || current_schema()))",
  // Values reach PostgreSQL sealed already; autovacuum reclaims the deleted tuples.
  afterSecretDelete: null,
  migrations: POSTGRES_MIGRATIONS,
  notifyJobs: NOTIFY_JOBS,
};

/** A bare identifier: it is spliced into SET search_path and CREATE SCHEMA, so nothing else passes. */
export const postgresSchemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case identifier');

export interface PostgresDriverOptions {
  /** postgres:// URL; never logged (it may carry a password). */
  url: string;
  /** Pooled connections (default 10). */
  poolSize?: number;
  /** Schema to work in: created if missing and set as search_path on every pooled connection. */
  schema?: string;
  /** Errors of idle pooled connections (e.g. the server restarted) and of the job listener; pg would otherwise crash the process. */
  onIdleError?: (error: Error) => void;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

class PostgresExecutor implements SqlExecutor {
  readonly #target: Queryable;
  constructor(target: Queryable) {
    this.#target = target;
  }
  async query(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    const result = await this.#target.query<SqlRow>(sql, [...params]);
    return result.rows;
  }
  async execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    const result = await this.#target.query(sql, [...params]);
    return result.rowCount ?? 0;
  }
}

class PostgresDriver implements SqlDriver {
  readonly dialect = POSTGRES_DIALECT;
  readonly #pool: pg.Pool;
  readonly #plain: PostgresExecutor;
  readonly #connection: pg.ClientConfig;
  readonly #onError: (error: Error) => void;

  constructor(pool: pg.Pool, connection: pg.ClientConfig, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#plain = new PostgresExecutor(pool);
    this.#connection = connection;
    this.#onError = onError;
  }

  query(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]> {
    return this.#plain.query(sql, params);
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.#plain.execute(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back is not handed to the next caller.
        broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  watchJobs(onNotified: () => void): Promise<() => Promise<void>> {
    return listenForJobs(this.#connection, onNotified, this.#onError);
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

export async function openPostgresDriver(options: PostgresDriverOptions): Promise<SqlDriver> {
  const schema = options.schema === undefined ? undefined : postgresSchemaName.parse(options.schema);
  const connection: pg.ClientConfig = {
    connectionString: options.url,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 10 });
  const onError = (error: Error) => options.onIdleError?.(error);
  pool.on('error', onError);
  const driver = new PostgresDriver(pool, connection, onError);
  if (schema) {
    try {
      await driver.transaction(async (tx) => {
        // CREATE SCHEMA IF NOT EXISTS still races with a concurrent creator; the lock queues them.
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('access-desk-schema:' || $1))", [schema]);
        await tx.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      });
    } catch (e) {
      await pool.end();
      throw e;
    }
  }
  return driver;
}
