/**
 * `npm run soak [-- --quick]`: the real bot as several OS processes on one PostgreSQL schema,
 * against the fake Slack (Socket Mode) and the three vendor simulators with random faults, while a
 * chaos loop SIGKILLs a random replica every few seconds. Plays R requests, drains, then checks the
 * simulators, the Slack transcript and the store (scripts/soak/checks.ts). Exits non-zero on any
 * violation. Loopback only; every wait is bounded.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { judge } from './soak/checks.ts';
import { FaultInjector } from './soak/faults.ts';
import { CreateLedger } from './soak/ledger.ts';
import { parseOptions } from './soak/options.ts';
import { type Played, planRequest, play } from './soak/player.ts';
import { Replicas } from './soak/replicas.ts';
import { type RunFigures, summary, writeReliability } from './soak/report.ts';
import { startWorld } from './soak/world.ts';

const DRAIN_MS = 90_000;
const POLL_MS = 500;
const STARTUP_MS = 60_000;
const QUICK_TARGET_MS = 120_000;

/** mulberry32: a seeded generator, so a failing run can be replayed with --seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = parseOptions(process.argv.slice(2));
const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
const random = seeded(seed);
const startedAt = new Date();
const log = (line: string) =>
  process.stdout.write(`[soak +${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)}s] ${line}\n`);

const world = await startWorld();
const ledger = new CreateLedger(world);
const replicas = new Replicas(options.replicas, world.replicaEnv, world.dir);
const faults = new FaultInjector(world, random);
const deadline = startedAt.getTime() + options.deadlineMs;
let exitCode = 1;
let cleaned: Promise<void> | undefined;
/** Once: stop every replica (none may outlive the soak), stop the fakes, drop the schema. */
const cleanUp = () => {
  cleaned ??= (async () => {
    replicas.stopChaos();
    faults.stop();
    await replicas.stopAll();
    await world.close(exitCode !== 0);
    if (exitCode !== 0) process.stderr.write(`Replica logs kept in ${world.dir}\n`);
  })();
  return cleaned;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`Soak interrupted (${signal}); stopping the replicas\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}
try {
  replicas.startAll();
  await world.slack.waitFor(() => world.slack.connections >= options.replicas, {
    timeoutMs: STARTUP_MS,
    description: `${options.replicas} replicas connected`,
  });
  log(`${options.replicas} replicas up; playing ${options.requests} requests (seed ${seed})`);
  faults.start();
  replicas.startChaos(options.killEveryMs, random);

  const played: Played[] = Array.from({ length: options.requests }, (_, i) => planRequest(i + 1, random));
  const ctx = { slack: world.slack, store: world.store, random, deadline: deadline - DRAIN_MS / 3 };
  let next = 0;
  let done = 0;
  const progress = setInterval(
    () =>
      log(
        `${done}/${played.length} played; ${replicas.ready} replicas up; ${replicas.kills} kills; ${faults.total} faults`,
      ),
    10_000,
  );
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let p = played[next++]; p !== undefined; p = played[next++]) {
        await play(ctx, p);
        done += 1;
      }
    }),
  );
  clearInterval(progress);
  replicas.stopChaos();
  faults.stop();
  log(`played; ${replicas.kills} kills; draining`);
  const drainEnd = Math.min(Date.now() + DRAIN_MS, deadline);
  while (Date.now() < drainEnd) {
    const pending = await world.store.listRequests({
      statuses: ['PENDING', 'APPROVED', 'PROVISIONING'],
      limit: 1,
    });
    const busy = pending.length > 0 || (await world.store.listRequests({ limit: 1 })).length === 0;
    if (!busy && (await idle())) break;
    await sleep(POLL_MS);
  }
  await replicas.stopAll();
  const verdict = await judge(world, played, ledger);
  const figures: RunFigures = {
    command: commandLine(process.argv.slice(2)),
    options,
    seed,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    kills: replicas.kills,
    skippedKills: replicas.skippedKills,
    starts: replicas.starts,
    crashes: replicas.crashes,
    faults: faults.injected,
    played,
    verdict,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
  };
  if (options.quick && replicas.kills < 2)
    verdict.violations.push(`only ${replicas.kills} kills (at least 2)`);
  for (const crash of replicas.crashes) verdict.violations.push(crash);
  if (options.quick && figures.durationMs > QUICK_TARGET_MS) {
    const load = loadavg()[1]?.toFixed(1);
    log(
      `note: longer than the ${QUICK_TARGET_MS / 1000} s target (5-minute load average ${load} on ${cpus().length} cores)`,
    );
  }
  process.stdout.write(`${summary(figures)}\n`);
  if (options.reportPath) writeReliability(options.reportPath, options.label, figures);
  exitCode = verdict.violations.length === 0 ? 0 : 1;
} catch (e) {
  process.stderr.write(`Soak aborted: ${e instanceof Error ? e.message : String(e)}\n`);
} finally {
  await cleanUp();
}
process.exit(exitCode);

/** The command as run, without the bookkeeping options (--label, --report). */
function commandLine(args: readonly string[]): string {
  const shown = args.filter(
    (a, i) => !['--label', '--report'].includes(a) && !['--label', '--report'].includes(args[i - 1] ?? ''),
  );
  return `npm run soak${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}`;
}

/** No queued job due now and none running: every replica is idle. */
async function idle(): Promise<boolean> {
  const requests = await world.store.listRequests({ limit: options.requests * 4 + 100 });
  const now = Date.now();
  for (const r of requests) {
    for (const j of await world.store.listJobs(r.id)) {
      if (j.state === 'running' || (j.state === 'queued' && j.runAfter.getTime() <= now + 60_000))
        return false;
    }
  }
  return true;
}
