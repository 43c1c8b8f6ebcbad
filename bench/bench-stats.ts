/** Timing and summary helpers for the benchmarks: performance.now() only, nearest-rank percentiles. */
import { performance } from 'node:perf_hooks';

/** One printed line of the results table. */
export interface BenchRow {
  group: string;
  name: string;
  /** Operations measured (after warm-up). */
  n: number;
  /** Throughput, operations per second; null for latency-only rows. */
  opsPerSec: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** Nearest-rank percentile of `sorted` (ascending), `p` in 0..100. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The nearest-rank median of unsorted samples. */
export const median = (xs: readonly number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** A latency row from individual samples in milliseconds. */
export function latencyRow(group: string, name: string, samplesMs: readonly number[]): BenchRow {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    group,
    name,
    n: sorted.length,
    opsPerSec: null,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1)!,
  };
}

/** A throughput row; latencies too when per-operation samples were taken. */
export function throughputRow(
  group: string,
  name: string,
  n: number,
  elapsedMs: number,
  samplesMs: readonly number[] = [],
): BenchRow {
  const latency = samplesMs.length > 0 ? latencyRow(group, name, samplesMs) : null;
  return {
    group,
    name,
    n,
    opsPerSec: (n / elapsedMs) * 1000,
    p50Ms: latency?.p50Ms ?? null,
    p95Ms: latency?.p95Ms ?? null,
    maxMs: latency?.maxMs ?? null,
  };
}

/** Runs `op(i)` for i in 0..n-1, one after another; returns each call's duration in ms and the total. */
export async function timeEach(
  n: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ samplesMs: number[]; elapsedMs: number }> {
  const samplesMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    samplesMs.push(performance.now() - t);
  }
  return { samplesMs, elapsedMs: performance.now() - start };
}

const fmt = (v: number | null, digits: number): string =>
  v === null
    ? '—'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The rows as a Markdown table (pasted as is into BENCHMARKS.md). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['group', 'measurement', 'n', 'ops/s', 'p50 ms', 'p95 ms', 'max ms'];
  const lines = rows.map((r) => [
    r.group,
    r.name,
    String(r.n),
    fmt(r.opsPerSec, 0),
    fmt(r.p50Ms, 2),
    fmt(r.p95Ms, 2),
    fmt(r.maxMs, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [row(header), rule, ...lines.map(row)].join('\n');
}
