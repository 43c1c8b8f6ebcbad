/**
 * The real back ends the store contract runs against: SQLite on a temp file always, PostgreSQL
 * when TEST_DATABASE_URL is set (a fresh random schema per test, dropped afterwards). With
 * REQUIRE_POSTGRES=1 a missing URL or an unreachable database fails the run instead of skipping.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { openPostgresStore, openSqliteStore } from '../../src/store/open-store.ts';
import { openPostgresDriver } from '../../src/store/postgres/postgres-driver.ts';
import type { SqlDriver } from '../../src/store/sql-driver.ts';
import { openSqliteDriver } from '../../src/store/sqlite/sqlite-driver.ts';
import type { Store } from '../../src/store/store.ts';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

const databaseUrl = process.env.TEST_DATABASE_URL;
const requirePostgres = process.env.REQUIRE_POSTGRES === '1';

/** One isolated database for one test: any number of store instances on it. */
export interface TestDatabase {
  kind: StoreKind;
  /** Where a child process finds the same database (SQLite file path). */
  location: string;
  /** Another store on the same database (its own connection or pool), closed after the test. */
  open(options?: { poolSize?: number }): Promise<Store>;
  /** A raw driver on the same database, for inspecting tables the Store does not expose. */
  driver(): Promise<SqlDriver>;
}

interface Backend {
  kind: StoreKind;
  skipReason: string | null;
  create(): Promise<{ db: TestDatabase; drop(): Promise<void> }>;
}

const sqliteBackend: Backend = {
  kind: 'sqlite',
  skipReason: null,
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'access-desk-store-'));
    const path = join(dir, 'nested', 'store.db');
    const secretKey = generateSecretKey();
    const db: TestDatabase = {
      kind: 'sqlite',
      location: path,
      open: async () => openSqliteStore({ path, secretKey }),
      driver: async () => openSqliteDriver({ path }),
    };
    return { db, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgresBackend: Backend = {
  kind: 'postgres',
  skipReason:
    databaseUrl || requirePostgres
      ? null
      : 'TEST_DATABASE_URL is not set (set REQUIRE_POSTGRES=1 to fail instead)',
  async create() {
    if (!databaseUrl) throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
    const url = databaseUrl;
    const schema = `contract_${randomBytes(6).toString('hex')}`;
    const secretKey = generateSecretKey();
    const db: TestDatabase = {
      kind: 'postgres',
      location: schema,
      open: (options) => openPostgresStore({ url, schema, poolSize: options?.poolSize ?? 10, secretKey }),
      driver: () => openPostgresDriver({ url, schema, poolSize: 2 }),
    };
    const drop = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    };
    return { db, drop };
  },
};

interface Current {
  store: Store;
  db: TestDatabase;
  opened: (Store | SqlDriver)[];
  drop(): Promise<void>;
}

const BACKENDS: readonly Backend[] = [sqliteBackend, postgresBackend];

export interface StoreContext {
  /** The migrated store of the current test. */
  readonly store: Store;
  /** The current test's database. */
  readonly db: TestDatabase;
  /** Another migrated-schema store on the same database, closed after the test. */
  another(options?: { poolSize?: number }): Promise<Store>;
}

/**
 * `describe(`${kind}: ${title}`)` once per back end; every test gets a fresh migrated database.
 * Pass `{ migrate: false }` to start from an empty one.
 */
export function describeStores(
  title: string,
  body: (ctx: StoreContext) => void,
  options: { migrate?: boolean } = {},
): void {
  for (const backend of BACKENDS) {
    const name = `${backend.kind}: ${title}`;
    if (backend.skipReason !== null) {
      console.log(`Skipping "${name}": ${backend.skipReason}`);
      describe.skip(name, () => body(unavailable));
      continue;
    }
    describe(name, () => {
      let current: Current | undefined;
      const live = (): Current => {
        if (!current) throw new Error('no database: beforeEach failed');
        return current;
      };
      beforeEach(async () => {
        const { db, drop } = await backend.create();
        const opened: (Store | SqlDriver)[] = [];
        const trackedDb: TestDatabase = {
          ...db,
          open: async (o) => track(opened, await db.open(o)),
          driver: async () => track(opened, await db.driver()),
        };
        const store = await trackedDb.open();
        if (options.migrate !== false) await store.migrate();
        current = { store, db: trackedDb, opened, drop };
      });
      afterEach(async () => {
        const done = current;
        current = undefined;
        if (!done) return;
        await Promise.all(done.opened.map((s) => s.close()));
        await done.drop();
      });
      body({
        get store() {
          return live().store;
        },
        get db() {
          return live().db;
        },
        another: async (o) => {
          const store = await live().db.open(o);
          await store.migrate();
          return store;
        },
      });
    });
  }
}

function track<T extends Store | SqlDriver>(opened: (Store | SqlDriver)[], item: T): T {
  opened.push(item);
  return item;
}

const notRunning = (): never => {
  throw new Error('back end skipped');
};
const unavailable: StoreContext = {
  get store(): Store {
    return notRunning();
  },
  get db(): TestDatabase {
    return notRunning();
  },
  another: async () => notRunning(),
};
