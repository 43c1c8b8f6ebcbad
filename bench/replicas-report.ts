/**
 * Pure figures of the replicas benchmark: which replica count goes first in a round (alternating,
 * so a drift in the machine's load hits both alike), requests provisioned per second, and the row
 * that sets the median of two replicas against the median of one with the goal (≥ 1.8×).
 */
import { percentile } from './bench-stats.ts';
import type { FloorRow } from './floor-report.ts';

/** The goal: two replicas provision at least this many times what one does. */
export const REPLICAS_GOAL = 1.8;

/** Round 0 runs one replica then two, round 1 two then one, and so on. */
export const replicaOrder = (round: number): readonly [1, 2] | readonly [2, 1] =>
  round % 2 === 0 ? [1, 2] : [2, 1];

/** Requests per second from a count and the ms they took. */
export function perSecond(requests: number, elapsedMs: number): number {
  if (!(elapsedMs > 0)) throw new Error(`bench: ${requests} requests in ${elapsedMs} ms`);
  return (requests / elapsedMs) * 1000;
}

export interface ReplicasFigures {
  requests: number;
  simLatencyMs: number;
  workerConcurrency: number;
  /** Requests provisioned per second, one figure per round. */
  one: readonly number[];
  two: readonly number[];
}

const median = (xs: readonly number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export const replicasRow = (f: ReplicasFigures): FloorRow => ({
  what: `PAM360 requests provisioned per second, 2 replicas on PostgreSQL (sim answers in ${f.simLatencyMs} ms, WORKER_CONCURRENCY=${f.workerConcurrency} each)`,
  load: `${f.requests} approved at once, median of ${f.two.length}`,
  unit: 'req/s',
  bot: median(f.two),
  against: median(f.one),
  againstName: '1 replica',
  maxRatio: null,
  minRatio: REPLICAS_GOAL,
});
