/** The soak's figures: a console summary, and a section of RELIABILITY.md per kind of run. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Verdict } from './checks.ts';
import type { FaultKind } from './faults.ts';
import type { SoakOptions } from './options.ts';
import type { Played } from './player.ts';

export interface RunFigures {
  command: string;
  options: SoakOptions;
  seed: number;
  startedAt: Date;
  durationMs: number;
  kills: number;
  skippedKills: number;
  starts: number;
  crashes: string[];
  faults: Record<FaultKind, number>;
  played: readonly Played[];
  verdict: Verdict;
  commit: string;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const seconds = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

export function figureLines(f: RunFigures): string[] {
  const v = f.verdict;
  const latencies = f.played.flatMap((p) => (p.approveToOutcomeMs === null ? [] : [p.approveToOutcomeMs]));
  latencies.sort((a, b) => a - b);
  const retried = f.played.reduce(
    (n, p) => ({
      submissions: n.submissions + p.retried.submissions,
      commands: n.commands + p.retried.commands,
      clicks: n.clicks + p.retried.clicks,
    }),
    { submissions: 0, commands: 0, clicks: 0 },
  );
  const statuses = Object.entries(v.byStatus)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const faults = Object.entries(f.faults)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const plans = new Map<string, number>();
  for (const p of f.played) plans.set(p.plan, (plans.get(p.plan) ?? 0) + 1);
  return [
    `- Requests played: ${f.played.length} (${[...plans].map(([k, n]) => `${k} ${n}`).join(', ')}); stored: ${v.stored}`,
    `- Final states: ${statuses}`,
    `- Replicas: ${f.options.replicas}; SIGKILLs: ${f.kills} (one every ${f.options.killEveryMs / 1000} s unless fewer than two replicas were up: ${f.skippedKills} ticks skipped); process starts: ${f.starts}; unexpected exits: ${f.crashes.length}`,
    `- Vendor faults injected: ${faults}`,
    `- Duplicate creates (PJM/PAM360 create processed for an existing user): ${v.duplicateCreates}; Certification batches processed: ${v.certBatches}`,
    `- Lost requests: ${v.lost}; outcome at the vendor contradicting the final state: ${v.wrongOutcomes}`,
    `- Double posts: cards ${v.doublePosts.cards}, outcome replies ${v.doublePosts.outcomes}, decision replies ${v.doublePosts.decisions}, requester DMs ${v.doublePosts.dms}`,
    `- Missing: outcome replies ${v.missing.outcomes}, requester DMs ${v.missing.dms}`,
    `- Jobs left leased: ${v.jobsLeased}; jobs left queued: ${v.jobsQueued}`,
    `- Approve → outcome in the thread: p50 ${seconds(percentile(latencies, 50))}, p99 ${seconds(percentile(latencies, 99))} (${latencies.length} approved requests)`,
    `- People had to try again: ${retried.commands} commands with no modal, ${retried.submissions} submissions that stored nothing, ${retried.clicks} clicks that changed nothing`,
    `- Violations: ${v.violations.length}`,
  ];
}

export function summary(f: RunFigures): string {
  const head = f.verdict.violations.slice(0, 25).map((x) => `  ! ${x}`);
  const more = f.verdict.violations.length > 25 ? [`  … and ${f.verdict.violations.length - 25} more`] : [];
  return [
    `Soak ${f.verdict.violations.length === 0 ? 'PASSED' : 'FAILED'} in ${seconds(f.durationMs)} (seed ${f.seed})`,
    ...figureLines(f),
    ...head,
    ...more,
  ].join('\n');
}

/** Replaces (or appends) this kind of run's section, keeping everything else in the file. */
export function writeReliability(path: string, label: string, f: RunFigures): void {
  const begin = `<!-- soak:${label} -->`;
  const end = `<!-- /soak:${label} -->`;
  const section = [
    begin,
    `### ${label} — ${f.verdict.violations.length === 0 ? 'passed' : `FAILED (${f.verdict.violations.length} violations)`}`,
    '',
    `\`${f.command}\` — ${f.startedAt.toISOString()}, commit ${f.commit}, ${cpus().length} cores (load average ${loadavg()[1]?.toFixed(1)} over the last 5 min, shared with other work), Node ${process.version}, ${seconds(f.durationMs)}, seed ${f.seed}`,
    '',
    ...figureLines(f),
    ...(f.verdict.violations.length > 0
      ? ['', 'First violations:', '', ...f.verdict.violations.slice(0, 15).map((x) => `- ${x}`)]
      : []),
    end,
  ].join('\n');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Reliability\n';
  const at = text.indexOf(begin);
  const stop = text.indexOf(end);
  const next =
    at >= 0 && stop > at
      ? `${text.slice(0, at)}${section}${text.slice(stop + end.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}
