import { describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/bench-stats.ts';
import {
  callsPerRequest,
  type FloorRow,
  formatCallsTable,
  formatFloorTable,
  meetsGoal,
  ratioOf,
} from '../../../bench/floor-report.ts';

const row = (bot: number, against: number, maxRatio = 1.5): FloorRow => ({
  what: '/newuser pam360: ack p99',
  load: '10 in flight',
  unit: 'ms',
  bot,
  against,
  againstName: 'bare Bolt',
  maxRatio,
});

describe('the floor comparison', () => {
  it('p99 is the nearest-rank sample: the largest of fewer than 100, the 99th of 100', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 99)).toBe(10);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
  });

  it('the ratio is the bot over the floor; a goal holds at the limit and fails just above it', () => {
    expect(ratioOf(6, 4)).toBe(1.5);
    expect(meetsGoal(row(6, 4))).toBe(true);
    expect(meetsGoal(row(6.01, 4))).toBe(false);
    expect(ratioOf(1, 0)).toBe(Infinity);
    expect(meetsGoal(row(1, 0))).toBe(false);
    expect(meetsGoal({ ...row(100, 1), maxRatio: null })).toBeNull();
  });

  it('prints each figure beside the floor, the ratio, the goal and whether it was met', () => {
    const table = formatFloorTable([row(5.04, 2), { ...row(100, 90, 1.25), unit: 'MiB', what: 'idle RSS' }]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /\/newuser pam360: ack p99 \| 10 in flight \|\s+5\.0 ms \| 2\.0 ms \(bare Bolt\) \| 2\.52× \|\s+≤ 1\.5× \| +NO \|/,
    );
    expect(lines[3]).toMatch(/idle RSS .*100 MiB \| 90 MiB \(bare Bolt\) \| 1\.11× \| ≤ 1\.25× \| yes \|/);
    const median = formatFloorTable([{ ...row(3, 2), what: 'ack p50', maxRatio: null }]).split('\n')[2];
    expect(median).toMatch(/ack p50 .*\| 1\.50× \| +— \| +— \|$/);
  });

  it('counts Slack calls per request by method, busiest first, after the total', () => {
    const rows = callsPerRequest(['chat.update', 'views.open', 'chat.update', 'chat.postMessage'], 2);
    expect(rows).toEqual([
      { method: 'all', calls: 4, perRequest: 2 },
      { method: 'chat.update', calls: 2, perRequest: 1 },
      { method: 'chat.postMessage', calls: 1, perRequest: 0.5 },
      { method: 'views.open', calls: 1, perRequest: 0.5 },
    ]);
    expect(formatCallsTable(rows)).toContain('| chat.update          |     2 |        1.00 |');
  });
});
