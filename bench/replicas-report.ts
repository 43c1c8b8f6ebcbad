/**
 * Pure figures of the replicas benchmark: which replica count goes first in a round (alternating,
 * so a drift in the machine's load hits both alike), requests provisioned per second, and the row
 * that sets the median of two replicas against the median of one with the goal (≥ 1.8×).
 */
import { z } from 'zod';
import { median } from './bench-stats.ts';
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
  vendorConcurrency: number;
  /** Requests provisioned per second, one figure per round. */
  one: readonly number[];
  two: readonly number[];
}

export const replicasRow = (f: ReplicasFigures): FloorRow => ({
  what: `PAM360 requests provisioned per second, 2 replicas on PostgreSQL (sim answers in ${f.simLatencyMs} ms, WORKER_CONCURRENCY=${f.workerConcurrency} and WORKER_VENDOR_CONCURRENCY=${f.vendorConcurrency} each)`,
  load: `${f.requests} approved at once, median of ${f.two.length}`,
  unit: 'req/s',
  bot: median(f.two),
  against: median(f.one),
  againstName: '1 replica',
  maxRatio: null,
  minRatio: REPLICAS_GOAL,
});

/** /proc/stat's first line: clock ticks all cores spent, busy (everything but idle and iowait) and in all. */
export const machineTicks = z
  .string()
  .transform((text) => /^cpu\s+([\d ]+)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number))
  .pipe(z.array(z.number().int().nonnegative()).min(5))
  .transform((t) => {
    const total = t.reduce((a, b) => a + b, 0);
    return { busy: total - t[3]! - t[4]!, total };
  });

/** /proc/<pid>/stat: user + system clock ticks (fields 14 and 15; the command name may hold spaces). */
export const processTicks = z
  .string()
  .transform((text) =>
    text
      .slice(text.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 13)
      .map(Number),
  )
  .pipe(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]))
  .transform(([user, system]) => user + system);

/** Where the CPU went while a measurement ran, in cores (1 = one core busy all the time). */
export interface CpuShare {
  machine: number;
  replicas: number;
  /** Every process of the local PostgreSQL server (other users' connections included). */
  postgres: number;
  /** The benchmark's own process: the fake Slack and the simulators. */
  bench: number;
}

export const formatMeasurement = (replicas: number, perSec: number, cpu: CpuShare, cores: number): string =>
  `replicas: ${replicas} replica${replicas === 1 ? '' : 's'}: ${perSec.toFixed(1)} req/s; the machine busy ${cpu.machine.toFixed(2)} of ${cores} cores, the replicas ${cpu.replicas.toFixed(2)}, PostgreSQL ${cpu.postgres.toFixed(2)}, the bench process (fake Slack, simulators) ${cpu.bench.toFixed(2)}, the rest (other work on the machine) ${(cpu.machine - cpu.replicas - cpu.postgres - cpu.bench).toFixed(2)}`;

/** CPU ms the system under test (replicas, PostgreSQL, the fakes) spent per provisioned request. */
export const cpuMsPerRequest = (perSec: number, cpu: CpuShare): number =>
  ((cpu.replicas + cpu.postgres + cpu.bench) / perSec) * 1000;

/**
 * The CPU floor: at the two replicas' CPU cost per request, how many requests per second the
 * machine's cores could provision if they did nothing else, against one replica's rate; and the
 * cores the goal would need at that cost.
 */
export function cpuCeiling(
  oneReplicaPerSec: number,
  twoReplicasCpuMs: number,
  cores: number,
): { perSec: number; ratio: number; coresForGoal: number } {
  const perSec = (cores * 1000) / twoReplicasCpuMs;
  return {
    perSec,
    ratio: perSec / oneReplicaPerSec,
    coresForGoal: (REPLICAS_GOAL * oneReplicaPerSec * twoReplicasCpuMs) / 1000,
  };
}
