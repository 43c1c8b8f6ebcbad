import { describe, expect, it } from 'vitest';
import { formatFloorTable, meetsGoal } from '../../../bench/floor-report.ts';
import {
  cpuCeiling,
  cpuMsPerRequest,
  formatMeasurement,
  machineTicks,
  perSecond,
  processTicks,
  REPLICAS_GOAL,
  replicaOrder,
  replicasRow,
} from '../../../bench/replicas-report.ts';

const figures = (one: number[], two: number[]) => ({
  requests: 100,
  simLatencyMs: 50,
  workerConcurrency: 4,
  vendorConcurrency: 16,
  one,
  two,
});

describe('two replicas against one', () => {
  it('alternates which replica count goes first, round by round', () => {
    expect([0, 1, 2, 3].map(replicaOrder)).toEqual([
      [1, 2],
      [2, 1],
      [1, 2],
      [2, 1],
    ]);
  });

  it('turns a count and the ms it took into requests per second, and refuses no time at all', () => {
    expect(perSecond(100, 4_000)).toBe(25);
    expect(perSecond(10, 250)).toBe(40);
    expect(() => perSecond(10, 0)).toThrow(/10 requests in 0 ms/);
  });

  it('sets the median of two replicas against the median of one; the goal holds at 1.8× and fails below', () => {
    const row = replicasRow(figures([10, 30, 20], [36, 1, 50]));
    expect(row.bot).toBe(36);
    expect(row.against).toBe(20);
    expect(meetsGoal(row)).toBe(true);
    expect(meetsGoal(replicasRow(figures([20], [35.9])))).toBe(false);
    expect(REPLICAS_GOAL).toBe(1.8);
  });

  it('prints the throughput, the ratio and an at-least goal in the floor table', () => {
    const line = formatFloorTable([replicasRow(figures([13.44], [18.6]))]).split('\n')[2];
    expect(line).toMatch(
      /2 replicas on PostgreSQL \(sim answers in 50 ms, WORKER_CONCURRENCY=4 and WORKER_VENDOR_CONCURRENCY=16 each\) \| 100 approved at once, median of 1 \| +18\.6 req\/s \| 13\.4 req\/s \(1 replica\) \| 1\.38× \| ≥ 1\.8× \| +NO \|/,
    );
  });

  it('reads busy and total ticks from /proc/stat, idle and iowait not busy', () => {
    const stat = 'cpu  100 5 20 800 10 0 3 0 0 0\ncpu0 50 2 10 400 5 0 1 0 0 0\n';
    expect(machineTicks.parse(stat)).toEqual({ busy: 128, total: 938 });
    expect(() => machineTicks.parse('intr 1 2 3')).toThrow();
  });

  it("reads a process's user and system ticks from /proc/<pid>/stat, a command with spaces included", () => {
    const fields = ['S', '1', '1', '1', '0', '-1', '4194304', '10', '0', '0', '0', '250', '40', '0', '0'];
    expect(processTicks.parse(`4242 (node main) x) ${fields.join(' ')}`)).toBe(290);
    expect(() => processTicks.parse('4242 (node)')).toThrow();
  });

  it('says where the CPU went: the machine, the replicas, PostgreSQL, the bench process and the rest', () => {
    expect(formatMeasurement(2, 18.63, { machine: 1.9, replicas: 1.2, postgres: 0.25, bench: 0.4 }, 2)).toBe(
      'replicas: 2 replicas: 18.6 req/s; the machine busy 1.90 of 2 cores, the replicas 1.20, PostgreSQL 0.25, the bench process (fake Slack, simulators) 0.40, the rest (other work on the machine) 0.05',
    );
    expect(formatMeasurement(1, 10, { machine: 1, replicas: 0.5, postgres: 0.1, bench: 0.2 }, 2)).toMatch(
      /^replicas: 1 replica: /,
    );
  });

  it('charges a request the CPU of the replicas, PostgreSQL and the fakes, not the rest of the machine', () => {
    expect(cpuMsPerRequest(20, { machine: 2, replicas: 0.8, postgres: 0.4, bench: 0.2 })).toBeCloseTo(70, 9);
  });

  it('names the CPU floor: the most 2 cores provision at that cost, its ratio, and the cores 1.8× needs', () => {
    const c = cpuCeiling(20, 50, 2);
    expect(c.perSec).toBe(40);
    expect(c.ratio).toBe(2);
    expect(c.coresForGoal).toBeCloseTo(1.8, 9);
    expect(cpuCeiling(18.4, 73, 2).ratio).toBeLessThan(REPLICAS_GOAL);
  });
});
