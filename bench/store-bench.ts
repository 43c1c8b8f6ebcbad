/**
 * Store benchmarks on the real back ends: SQLite on a temp file (WAL, as in production) and, when a
 * database URL is given, PostgreSQL in a fresh schema dropped afterwards. Every operation goes
 * through the Store interface exactly as the flows and the worker call it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { notifyJob, precheckJob, provisionJob, renderCardJob, replyJob } from '../src/flows/jobs.ts';
import { generateSecretKey } from '../src/secrets/secret-box.ts';
import { openPostgresStore, openSqliteStore } from '../src/store/open-store.ts';
import type { NewRequest, Store } from '../src/store/store.ts';
import { type BenchRow, latencyRow, throughputRow, timeEach } from './bench-stats.ts';

const secretKey = generateSecretKey();

export interface StoreBenchSizes {
  createRequests: number;
  decisions: number;
  jobs: number;
  claimers: number;
  deliveries: number;
  warmup: number;
}

export const STORE_BENCH_SIZES: StoreBenchSizes = {
  createRequests: 1000,
  decisions: 500,
  jobs: 2000,
  claimers: 4,
  deliveries: 2000,
  warmup: 100,
};

interface Backend {
  label: string;
  /** A new store on the benchmark database (its own connection or pool), migrated. */
  open(): Promise<Store>;
  drop(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-bench-'));
  const path = join(dir, 'bench.db');
  return {
    label: 'sqlite (file, WAL)',
    open: async () => {
      const store = openSqliteStore({ path, secretKey });
      await store.migrate();
      return store;
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(url: string): Backend {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  return {
    label: 'postgres',
    open: async () => {
      // One small pool per store, as each replica would have.
      const store = await openPostgresStore({ url, schema, poolSize: 4, secretKey });
      await store.migrate();
      return store;
    },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A PAM360-sized request, as submit-request stores it. */
function newRequest(): NewRequest {
  return {
    id: `req-${randomUUID()}`,
    vendor: 'pam360',
    requesterId: 'U0REQUESTER',
    teamId: 'T0FAKE',
    payload: {
      operation: {
        Details: {
          USERNAME: `user${randomBytes(4).toString('hex')}`,
          FIRSTNAME: 'Jason',
          LASTNAME: 'Thomas',
          EMAIL: 'jason@example.com',
          ROLE: 'Password User',
          isApiUser: true,
        },
      },
    },
    payloadHash: randomBytes(16).toString('hex'),
    facts: { originChannel: 'C0GENERAL' },
  };
}

async function createOne(store: Store): Promise<NewRequest> {
  const req = newRequest();
  await store.createRequest(
    req,
    { actor: req.requesterId, action: 'requested', detail: { subject: 'bench' } },
    [renderCardJob(req.id), precheckJob(req.id)],
    new Date(),
  );
  return req;
}

async function approveOne(store: Store, req: NewRequest): Promise<void> {
  const result = await store.recordDecision({
    requestId: req.id,
    approverId: 'U0APPROVER1',
    decision: 'approve',
    reason: null,
    payloadHash: req.payloadHash,
    requiredApprovals: 1,
    at: new Date(),
    jobs: [renderCardJob(req.id), replyJob(req.id, { type: 'decision', approverId: 'U0APPROVER1' })],
    jobsIfApproved: [provisionJob(req.id)],
    jobsIfDenied: [notifyJob(req.id)],
  });
  if (!result.transitioned) throw new Error(`bench: approving ${req.id} did not reach APPROVED`);
}

/** Claimers (one store each) drain the queue; every job must be completed exactly once. */
async function drainQueue(
  stores: readonly Store[],
): Promise<{ completed: number; claimSamplesMs: number[] }> {
  const seen = new Set<number>();
  const claimSamplesMs: number[] = [];
  await Promise.all(
    stores.map(async (store, i) => {
      const owner = `bench-claimer-${i}`;
      for (;;) {
        const t = performance.now();
        const job = await store.claimJob(owner, 60_000, new Date());
        claimSamplesMs.push(performance.now() - t);
        if (!job) return;
        if (seen.has(job.id)) throw new Error(`bench: job ${job.id} was claimed twice`);
        seen.add(job.id);
        if (!(await store.completeJob(job.id, owner, new Date())))
          throw new Error(`bench: job ${job.id} lost its lease`);
      }
    }),
  );
  return { completed: seen.size, claimSamplesMs };
}

async function benchBackend(backend: Backend, sizes: StoreBenchSizes): Promise<BenchRow[]> {
  const group = `store: ${backend.label}`;
  const store = await backend.open();
  const claimers = [
    store,
    ...(await Promise.all(Array.from({ length: sizes.claimers - 1 }, () => backend.open()))),
  ];
  try {
    const rows: BenchRow[] = [];

    await timeEach(sizes.warmup, () => createOne(store));
    const created = await timeEach(sizes.createRequests, () => createOne(store));
    rows.push(
      throughputRow(
        group,
        'createRequest (+audit, 2 jobs)',
        sizes.createRequests,
        created.elapsedMs,
        created.samplesMs,
      ),
    );

    const pending: NewRequest[] = [];
    for (let i = 0; i < sizes.warmup + sizes.decisions; i++) pending.push(await createOne(store));
    await timeEach(sizes.warmup, (i) => approveOne(store, pending[i]!));
    const approved = await timeEach(sizes.decisions, (i) => approveOne(store, pending[sizes.warmup + i]!));
    rows.push(latencyRow(group, 'recordDecision approve → APPROVED', approved.samplesMs));

    // Warm-up: drain the real jobs the two runs above enqueued.
    await drainQueue(claimers);
    for (let i = 0; i < sizes.jobs; i++)
      await store.enqueue(precheckJob(pending[i % pending.length]!.id), new Date());
    const start = performance.now();
    const drained = await drainQueue(claimers);
    const elapsedMs = performance.now() - start;
    if (drained.completed !== sizes.jobs)
      throw new Error(`bench: ${drained.completed} of ${sizes.jobs} jobs completed`);
    rows.push(
      throughputRow(
        group,
        `claimJob+completeJob, ${sizes.claimers} claimers (ms: per claim)`,
        sizes.jobs,
        elapsedMs,
        drained.claimSamplesMs,
      ),
    );

    const expires = new Date(Date.now() + 3_600_000);
    await timeEach(sizes.warmup, () => store.markDelivery(`warm-${randomUUID()}`, expires, new Date()));
    const marked = await timeEach(sizes.deliveries, async () => {
      if (!(await store.markDelivery(randomUUID(), expires, new Date())))
        throw new Error('bench: a new delivery id was taken for a duplicate');
    });
    rows.push(
      throughputRow(group, 'markDelivery (new id)', sizes.deliveries, marked.elapsedMs, marked.samplesMs),
    );
    return rows;
  } finally {
    await Promise.all(claimers.map((s) => s.close()));
    await backend.drop();
  }
}

/** SQLite always; PostgreSQL too when `postgresUrl` is given. */
export async function runStoreBench(
  postgresUrl: string | undefined,
  sizes: StoreBenchSizes = STORE_BENCH_SIZES,
): Promise<BenchRow[]> {
  const rows = await benchBackend(sqliteBackend(), sizes);
  if (postgresUrl !== undefined) rows.push(...(await benchBackend(postgresBackend(postgresUrl), sizes)));
  return rows;
}
