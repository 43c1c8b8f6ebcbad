import { describe, expect, it } from 'vitest';
import { formatFloorTable, meetsGoal } from '../../../bench/floor-report.ts';
import { perSecond, REPLICAS_GOAL, replicaOrder, replicasRow } from '../../../bench/replicas-report.ts';

const figures = (one: number[], two: number[]) => ({
  requests: 100,
  simLatencyMs: 50,
  workerConcurrency: 4,
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
      /2 replicas on PostgreSQL \(sim answers in 50 ms, WORKER_CONCURRENCY=4 each\) \| 100 approved at once, median of 1 \| +18\.6 req\/s \| 13\.4 req\/s \(1 replica\) \| 1\.38× \| ≥ 1\.8× \| +NO \|/,
    );
  });
});
