/**
 * node:sqlite behind the SqlDriver seam. DatabaseSync is synchronous and one connection, while the
 * store's logic awaits between statements: every statement and transaction therefore runs through
 * one async mutex per database file, shared by every driver this process opens on that file (a
 * second connection blocking in SQLite's busy handler would freeze the very thread that holds the
 * lock). Other processes on the same file queue on BEGIN IMMEDIATE and busy_timeout instead.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlDialect, SqlDriver, SqlExecutor, SqlParam, SqlRow } from '../sql-driver.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  forUpdate: '',
  skipLocked: '',
  migrationLock: null,
  // secure_delete zeroes freed pages; the checkpoint then copies them over the main file and
  // truncates the WAL, which would otherwise keep the deleted page as it was.
  afterSecretDelete: 'PRAGMA wal_checkpoint(TRUNCATE)',
  migrations: SQLITE_MIGRATIONS,
  notifyJobs: null,
};

export interface SqliteDriverOptions {
  /** Database file (its folder is created if missing) or ':memory:'. */
  path: string;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/** Runs tasks one after another, in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

const fileLocks = new Map<string, { mutex: Mutex; users: number }>();
let memoryDatabases = 0;

function acquireFileLock(key: string): Mutex {
  const entry = fileLocks.get(key) ?? { mutex: new Mutex(), users: 0 };
  entry.users += 1;
  fileLocks.set(key, entry);
  return entry.mutex;
}

function releaseFileLock(key: string): void {
  const entry = fileLocks.get(key);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users === 0) fileLocks.delete(key);
}

/** `$1` → `?1`: SQLite reads `$1` as a named parameter, `?NNN` as the positional one. */
const toSqlite = (sql: string): string => sql.replace(/\$(\d+)/g, '?$1');

class SqliteExecutor implements SqlExecutor {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  constructor(db: DatabaseSync) {
    this.#db = db;
  }
  prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(toSqlite(sql));
      this.#statements.set(sql, statement);
    }
    return statement;
  }
  async query(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    return this.prepare(sql).all(...params);
  }
  async execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return Number(this.prepare(sql).run(...params).changes);
  }
}

interface QueuedTransaction {
  fn: (tx: SqlExecutor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

class SqliteDriver implements SqlDriver {
  readonly dialect = SQLITE_DIALECT;
  #group: QueuedTransaction[] = [];
  readonly #db: DatabaseSync;
  readonly #tx: SqliteExecutor;
  readonly #lock: Mutex;
  readonly #lockKey: string;
  #closed = false;

  constructor(db: DatabaseSync, lockKey: string) {
    this.#db = db;
    this.#tx = new SqliteExecutor(db);
    this.#lockKey = lockKey;
    this.#lock = acquireFileLock(lockKey);
  }

  query(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]> {
    return this.#lock.run(() => this.#tx.query(sql, params));
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.#lock.run(() => this.#tx.execute(sql, params));
  }

  /**
   * Group commit: every transaction asked for while the file is busy joins one BEGIN IMMEDIATE …
   * COMMIT, each under its own savepoint, so a failing one rolls back only its own writes. Each
   * caller is answered only after the COMMIT, so a result is as durable as it was alone; a burst
   * of submissions pays for one commit instead of one each.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#group.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#group.length === 1) void this.#lock.run(() => this.#commitGroup());
    });
  }

  async #commitGroup(): Promise<void> {
    const group = this.#group;
    this.#group = [];
    const done: { tx: QueuedTransaction; value: unknown }[] = [];
    try {
      // IMMEDIATE takes the write lock now, so two processes never both read-then-write.
      this.#db.exec('BEGIN IMMEDIATE');
      for (const tx of group) {
        this.#db.exec('SAVEPOINT grouped');
        try {
          done.push({ tx, value: await tx.fn(this.#tx) });
          this.#db.exec('RELEASE grouped');
        } catch (e) {
          // SQLite may have ended the whole transaction (I/O error, full disk): nothing holds then.
          if (!this.#db.isTransaction) throw e;
          this.#db.exec('ROLLBACK TO grouped');
          this.#db.exec('RELEASE grouped');
          tx.reject(e);
        }
      }
      this.#db.exec('COMMIT');
    } catch (e) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      for (const tx of group) tx.reject(e);
      return;
    }
    for (const { tx, value } of done) tx.resolve(value);
  }

  /** One process per file in practice: the in-process wake already covers every enqueue. */
  async watchJobs(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  close(): Promise<void> {
    return this.#lock.run(async () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#db.close();
      releaseFileLock(this.#lockKey);
    });
  }
}

export function openSqliteDriver(options: SqliteDriverOptions): SqlDriver {
  const inMemory = options.path === ':memory:';
  const path = inMemory ? options.path : resolve(options.path);
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // busy_timeout first, so that switching to WAL also waits for a concurrent opener.
  db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA secure_delete = ON');
  // An in-memory database is private to its connection, so it gets a lock of its own.
  return new SqliteDriver(db, inMemory ? `:memory:${++memoryDatabases}` : path);
}
