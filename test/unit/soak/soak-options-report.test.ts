import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../../scripts/soak/checks.ts';
import { FAULT_KINDS, type FaultKind } from '../../../scripts/soak/faults.ts';
import { parseOptions } from '../../../scripts/soak/options.ts';
import { isOutcomeReply, planRequest } from '../../../scripts/soak/player.ts';
import { type RunFigures, summary, writeReliability } from '../../../scripts/soak/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'soak-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function figures(violations: string[], latencies: number[]): RunFigures {
  const options = parseOptions(['--requests', String(latencies.length)]);
  const played = latencies.map((ms, i) => ({ ...planRequest(i + 1, () => 0.5), approveToOutcomeMs: ms }));
  const verdict: Verdict = {
    stored: played.length,
    byStatus: { SUCCEEDED: played.length },
    duplicateCreates: 0,
    certBatches: 0,
    lost: 0,
    doublePosts: { cards: 0, outcomes: 0, decisions: 0, dms: 0 },
    missing: { outcomes: 0, dms: 0 },
    jobsLeased: 0,
    jobsQueued: 0,
    wrongOutcomes: 0,
    violations,
  };
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])) as Record<FaultKind, number>;
  return {
    command: 'npm run soak',
    options,
    seed: 7,
    startedAt: new Date('2026-12-01T20:00:00Z'),
    durationMs: 1000,
    kills: 3,
    skippedKills: 1,
    starts: 6,
    crashes: [],
    faults,
    played,
    verdict,
    commit: 'abc1234',
  };
}

describe('soak options', () => {
  it('--quick is R = 60, printed only; the default is R = 500 written to RELIABILITY.md', () => {
    expect(parseOptions(['--quick'])).toMatchObject({
      requests: 60,
      replicas: 3,
      killEveryMs: 3000,
      reportPath: null,
    });
    expect(parseOptions([])).toMatchObject({ requests: 500, reportPath: 'RELIABILITY.md' });
    expect(() => parseOptions(['--requests', '0'])).toThrow();
  });
});

describe('soak report', () => {
  it('p50 and p99 of approve → outcome, and a failed verdict lists its violations', () => {
    const text = summary(figures(['soak00001: lost'], [1000, 2000, 3000, 4000, 100_000]));
    expect(text).toMatch(/^Soak FAILED/);
    expect(text).toContain('p50 3.0 s, p99 100.0 s (5 approved requests)');
    expect(text).toContain('! soak00001: lost');
  });

  it('replaces its own section and keeps the hand-written text around it', () => {
    const path = join(dir, 'RELIABILITY.md');
    writeFileSync(path, '# Reliability\n\nNotes by hand.\n');
    writeReliability(path, 'quick', figures([], [1000]));
    writeReliability(path, 'quick', figures(['x'], [2000]));
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('# Reliability\n\nNotes by hand.\n')).toBe(true);
    expect(text.match(/<!-- soak:quick -->/g)).toHaveLength(1);
    expect(text).toContain('### quick — FAILED (1 violations)');
  });

  it('recognises the reply that tells each outcome', () => {
    expect(isOutcomeReply('DENIED', ':no_entry: <@U1> denied this request: “no”')).toBe(true);
    expect(isOutcomeReply('CANCELLED', ':heavy_multiplication_x: <@U1> cancelled this request.')).toBe(true);
    expect(isOutcomeReply('SUCCEEDED', ':large_green_circle: Done — PAM360: created')).toBe(true);
    expect(isOutcomeReply('SUCCEEDED', ':white_check_mark: <@U1> approved (1 of 1).')).toBe(false);
  });
});
