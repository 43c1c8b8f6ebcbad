/**
 * The narrow seam between the dialect-agnostic SqlStore and a database client (kysely's habit:
 * everything outside a dialect implementation depends only on this file). Only the files under
 * sqlite/ and postgres/ import node:sqlite or pg.
 */

/** Values bound to `$1`-style placeholders: text, numbers (epoch ms, counts) and NULL. */
export type SqlParam = string | number | null;

/** One result row as the client hands it over; parsed with zod before use (sql-rows.ts). */
export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlExecutor {
  /** Run one statement with `$1`-style placeholders and return its rows (RETURNING included). */
  query(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Run one statement and return how many rows it changed. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/** One numbered schema change, e.g. `0001_init`, applied once and recorded in schema_migrations. */
export interface Migration {
  id: string;
  /** Statements run in order inside the migration transaction. */
  statements: readonly string[];
}

/** The few places where the two dialects need different SQL. */
export interface SqlDialect {
  name: 'sqlite' | 'postgres';
  /**
   * Appended to a SELECT of a row the transaction is about to change. Empty on SQLite, whose
   * BEGIN IMMEDIATE already holds the database's one write lock.
   */
  forUpdate: string;
  /** Appended to the job-claim subquery so concurrent claimers pass over each other's rows. */
  skipLocked: string;
  /**
   * Run first inside the migration transaction so concurrent migrators queue up (null when the
   * transaction itself is exclusive).
   */
  migrationLock: string | null;
  /**
   * Run (outside a transaction) after a secret is deleted, so no copy of it stays in the database
   * files; null when deleted rows never outlive the statement in a readable file.
   */
  afterSecretDelete: string | null;
  migrations: readonly Migration[];
  /**
   * Run after each job insert so idle workers of every replica look at once (PostgreSQL NOTIFY,
   * delivered at commit); null where the in-process wake is all there is.
   */
  notifyJobs: string | null;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  /**
   * Run `fn` in one transaction: committed when it resolves, rolled back when it throws. `fn` MUST
   * use the executor it is given, never the driver itself (SQLite would wait on itself).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Listen for `notifyJobs` from any connection; resolves once listening, returns the stop. */
  watchJobs(onNotified: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
