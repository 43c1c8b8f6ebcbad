/**
 * `npm run bench`: store, end-to-end and PJM CSV benchmarks on real parts, printed as one Markdown
 * table. Speed is measured here, never in tests. PostgreSQL is included when TEST_DATABASE_URL is
 * set (the replicas section needs it); BENCH_ONLY=<section> runs one section. `--quick` runs every
 * section on small sizes, so CI proves the benchmark still runs (its figures are not worth recording).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ACK_BENCH_SIZES, runAckBench } from './ack-bench.ts';
import { describeMachine, formatMachine } from './bench-machine.ts';
import { buildBot } from './bench-processes.ts';
import { type BenchRow, formatTable } from './bench-stats.ts';
import { CSV_BENCH_SIZES, runCsvBench } from './csv-bench.ts';
import { E2E_BENCH_SIZES, runE2eBench } from './e2e-bench.ts';
import { type FloorRow, formatCallsTable, formatFloorTable } from './floor-report.ts';
import { PROVISION_BENCH_SIZES, runProvisionBench } from './provision-bench.ts';
import { REPLICAS_BENCH_SIZES, runReplicasBench } from './replicas-bench.ts';
import { runStartupBench, STARTUP_BENCH_SIZES } from './startup-bench.ts';
import { runStoreBench, STORE_BENCH_SIZES } from './store-bench.ts';

const SECTIONS = ['store', 'e2e', 'csv', 'floor', 'provision', 'replicas'] as const;
/** The memory goal: RSS after this many requests against idle. */
const MEMORY_AFTER_REQUESTS = 1_000;

const envSchema = z.object({
  TEST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'TEST_DATABASE_URL must be a postgres:// URL')
    .optional(),
  BENCH_ONLY: z.enum(SECTIONS).optional(),
  /** A folder: the bot of the ack benchmark writes a V8 CPU profile there (bench/profile-top.ts). */
  BENCH_CPU_PROF: z.string().min(1).optional(),
  /** NODE_OPTIONS for the bot's processes instead of the image's (e.g. other heap flags, to compare). */
  BENCH_BOT_NODE_OPTIONS: z.string().min(1).optional(),
  /** The provisioning section also runs the bot with this many worker slots (besides the default). */
  BENCH_WORKER_VENDOR_CONCURRENCY: z.coerce.number().int().min(1).optional(),
});

const env = envSchema.parse(process.env);
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const sizes = args.quick
  ? {
      store: {
        ...STORE_BENCH_SIZES,
        createRequests: 50,
        decisions: 25,
        jobs: 100,
        deliveries: 100,
        warmup: 10,
      },
      e2e: { requests: 3, warmup: 1, burst: 5 },
      csv: { rows: 1_000, warmupRuns: 1, runs: 2 },
      ack: { levels: [10, 50, 200], rounds: 1, warmup: 10, settleMs: 1_000 },
      startup: { starts: 1, idleMs: 500 },
      provision: { oneAtATime: 3, burst: 10, simLatencyMs: 50 },
      replicas: { requests: 10, rounds: 1, simLatencyMs: 50 },
    }
  : {
      store: STORE_BENCH_SIZES,
      e2e: E2E_BENCH_SIZES,
      csv: CSV_BENCH_SIZES,
      ack: ACK_BENCH_SIZES,
      startup: STARTUP_BENCH_SIZES,
      provision: PROVISION_BENCH_SIZES,
      replicas: REPLICAS_BENCH_SIZES,
    };
const wanted = (section: (typeof SECTIONS)[number]) =>
  env.BENCH_ONLY === undefined || env.BENCH_ONLY === section;

console.log(
  `Access Desk benchmarks${args.quick ? ' (--quick: small sizes, figures not comparable)' : ''} — ${formatMachine(describeMachine(new Date()))}`,
);
console.log(
  env.TEST_DATABASE_URL === undefined
    ? 'PostgreSQL: skipped (TEST_DATABASE_URL is not set)'
    : 'PostgreSQL: included (TEST_DATABASE_URL)',
);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`Load average at start: ${load()}`);

const started = performance.now();
const rows: BenchRow[] = [];
const notes: string[] = [];
if (wanted('store')) rows.push(...(await runStoreBench(env.TEST_DATABASE_URL, sizes.store)));
if (wanted('e2e')) {
  const e2e = await runE2eBench(sizes.e2e);
  rows.push(...e2e.rows);
  notes.push(...e2e.notes);
}
if (wanted('csv')) rows.push(...(await runCsvBench(sizes.csv)));
const floorRows: FloorRow[] = [];
let calls = '';
if (wanted('floor') || wanted('provision')) buildBot();
if (wanted('floor')) {
  floorRows.push(...(await runStartupBench(sizes.startup, env.BENCH_CPU_PROF)));
  const ack = await runAckBench({
    sizes: sizes.ack,
    memoryAfter: MEMORY_AFTER_REQUESTS,
    cpuProfDir: env.BENCH_CPU_PROF,
    botEnv: env.BENCH_BOT_NODE_OPTIONS ? { NODE_OPTIONS: env.BENCH_BOT_NODE_OPTIONS } : {},
  });
  floorRows.push(...ack.rows);
  notes.push(...ack.notes);
  calls = `Slack Web API calls per request (${ack.requests} PAM360 requests, /newuser → result):\n\n${formatCallsTable(ack.calls)}`;
}
if (wanted('provision')) {
  floorRows.push(...(await runProvisionBench(sizes.provision, { cpuProfDir: env.BENCH_CPU_PROF })));
  if (env.BENCH_WORKER_VENDOR_CONCURRENCY)
    floorRows.push(
      ...(await runProvisionBench(sizes.provision, {
        botEnv: { WORKER_VENDOR_CONCURRENCY: String(env.BENCH_WORKER_VENDOR_CONCURRENCY) },
      })),
    );
}
if (wanted('replicas')) {
  if (env.TEST_DATABASE_URL === undefined)
    notes.push('replicas: skipped (two replicas against one needs PostgreSQL: set TEST_DATABASE_URL)');
  else {
    const replicas = await runReplicasBench(sizes.replicas, env.TEST_DATABASE_URL);
    floorRows.push(...replicas.rows);
    notes.push(...replicas.notes);
  }
}

if (rows.length > 0) console.log(`\n${formatTable(rows)}\n`);
if (floorRows.length > 0) {
  console.log(
    `Against the bare-Bolt floor (and other references), same run:\n\n${formatFloorTable(floorRows)}\n`,
  );
  if (calls) console.log(`${calls}\n`);
}
for (const note of notes) console.log(`note: ${note}`);
console.log(`Load average at end: ${load()}`);
console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s`);
