/**
 * `npm run bench`: store, end-to-end and PJM CSV benchmarks on real parts, printed as one Markdown
 * table. Speed is measured here, never in tests. PostgreSQL is included when TEST_DATABASE_URL is
 * set; BENCH_ONLY=store|e2e|csv runs one section.
 */
import { z } from 'zod';
import { describeMachine, formatMachine } from './bench-machine.ts';
import { type BenchRow, formatTable } from './bench-stats.ts';
import { runCsvBench } from './csv-bench.ts';
import { runE2eBench } from './e2e-bench.ts';
import { runStoreBench } from './store-bench.ts';

const SECTIONS = ['store', 'e2e', 'csv'] as const;

const envSchema = z.object({
  TEST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'TEST_DATABASE_URL must be a postgres:// URL')
    .optional(),
  BENCH_ONLY: z.enum(SECTIONS).optional(),
});

const env = envSchema.parse(process.env);
const wanted = (section: (typeof SECTIONS)[number]) =>
  env.BENCH_ONLY === undefined || env.BENCH_ONLY === section;

console.log(`Access Desk benchmarks — ${formatMachine(describeMachine(new Date()))}`);
console.log(
  env.TEST_DATABASE_URL === undefined
    ? 'PostgreSQL: skipped (TEST_DATABASE_URL is not set)'
    : 'PostgreSQL: included (TEST_DATABASE_URL)',
);

const started = performance.now();
const rows: BenchRow[] = [];
const notes: string[] = [];
if (wanted('store')) rows.push(...(await runStoreBench(env.TEST_DATABASE_URL)));
if (wanted('e2e')) {
  const e2e = await runE2eBench();
  rows.push(...e2e.rows);
  notes.push(...e2e.notes);
}
if (wanted('csv')) rows.push(...(await runCsvBench()));

console.log(`\n${formatTable(rows)}\n`);
for (const note of notes) console.log(`note: ${note}`);
console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s`);
