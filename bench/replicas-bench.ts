/**
 * Two replicas on PostgreSQL against one: requests provisioned per second. Each measurement gets a
 * fresh world (scripts/soak/world.ts: one PostgreSQL schema, the fake Slack, the simulators) and N
 * bot processes started by the soak's `Replicas` (src/main.ts, default worker settings); the PAM360
 * simulator answers every call in 50 ms. M requests are submitted and pre-checked through the fake
 * Slack, the bot goes quiet, then all M are approved at once; the time runs from the first click
 * until every card's thread holds its success reply. Rounds alternate which replica count goes first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isOutcomeReply } from '../scripts/soak/player.ts';
import { Replicas } from '../scripts/soak/replicas.ts';
import { APPROVERS, REQUESTERS, SOAK_CHANNELS, startWorld, type World } from '../scripts/soak/world.ts';
import { configSchema } from '../src/config/schema.ts';
import { CALLBACK } from '../src/slack/views/ids.ts';
import { approve } from '../test/integration/scenario.ts';
import { median } from './bench-stats.ts';
import { pollUntil, precheckedCards, quiet } from './bench-waits.ts';
import { pam360Form } from './e2e-steps.ts';
import type { FloorRow } from './floor-report.ts';
import {
  type CpuShare,
  cpuCeiling,
  cpuMsPerRequest,
  formatMeasurement,
  machineTicks,
  perSecond,
  processTicks,
  REPLICAS_GOAL,
  replicaOrder,
  replicasRow,
} from './replicas-report.ts';

export interface ReplicasBenchSizes {
  /** Requests approved at once in each measurement. */
  requests: number;
  /** Each round measures one replica and two. */
  rounds: number;
  simLatencyMs: number;
}

export const REPLICAS_BENCH_SIZES: ReplicasBenchSizes = { requests: 100, rounds: 3, simLatencyMs: 50 };

/** The default worker slots, which every replica runs with here. */
const WORKER_DEFAULTS = configSchema.shape.worker.parse({});

/** One requester's requests, one after another: /newuser pam360, the modal, submit. */
async function submitAll(world: World, requester: string, names: readonly string[]): Promise<void> {
  const { slack } = world;
  for (const name of names) {
    const known = new Set(slack.views(requester).map((v) => v.id));
    await slack.slashCommand({
      user: requester,
      command: '/newuser',
      text: 'pam360',
      channel: SOAK_CHANNELS.general,
    });
    const view = await pollUntil(
      () =>
        slack.views(requester).find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
      `the modal of ${name}`,
    );
    const r = await slack.submitView({ user: requester, viewId: view.id, values: pam360Form(name) });
    if (r.ack?.response_action === 'errors') throw new Error(`bench: refused ${JSON.stringify(r.ack)}`);
  }
}

/** Linux counts CPU time in /proc in ticks of 1/100 s (USER_HZ). */
const TICKS_PER_S = 100;

/** Clock ticks of these processes; one that exited meanwhile counts nothing. */
function ticksOf(pids: readonly string[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += processTicks.parse(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return sum;
}

/** The local PostgreSQL server's processes (its backends included), found by name in /proc. */
function postgresPids(): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

/** CPU counters now: the machine's, the replicas', PostgreSQL's and this process's. */
function cpuNow(pids: readonly number[]) {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    machine: machineTicks.parse(readFileSync('/proc/stat', 'utf8')),
    replicas: ticksOf(pids.map(String)),
    postgres: ticksOf(postgresPids()),
    benchUs: usage.user + usage.system,
  };
}

function cpuShare(from: ReturnType<typeof cpuNow>, to: ReturnType<typeof cpuNow>): CpuShare {
  const seconds = (to.at - from.at) / 1000;
  const total = to.machine.total - from.machine.total;
  return {
    machine: total > 0 ? ((to.machine.busy - from.machine.busy) / total) * cpus().length : 0,
    replicas: (to.replicas - from.replicas) / TICKS_PER_S / seconds,
    postgres: Math.max(0, to.postgres - from.postgres) / TICKS_PER_S / seconds,
    bench: (to.benchUs - from.benchUs) / 1e6 / seconds,
  };
}

/** Requests provisioned per second by `count` replicas, and where the CPU went meanwhile. */
async function measure(
  count: number,
  sizes: ReplicasBenchSizes,
  databaseUrl: string,
): Promise<{ perSec: number; cpu: CpuShare }> {
  const world = await startWorld({ worker: {}, databaseUrl });
  const replicas = new Replicas(count, world.replicaEnv, world.dir);
  const { slack, pam360 } = world;
  let failed = true;
  try {
    replicas.startAll();
    await pollUntil(() => replicas.ready >= count && slack.connections >= count, `${count} replicas up`);
    for (const route of ['createUser', 'getUserId'] as const)
      pam360.fault(route, { latencyMs: sizes.simLatencyMs }, 1_000_000);
    const names = Array.from({ length: sizes.requests }, (_, i) => `repl${String(i).padStart(4, '0')}`);
    const from = slack.transcript().length;
    await Promise.all(
      REQUESTERS.map((requester, lane) =>
        submitAll(
          world,
          requester,
          names.filter((_, i) => i % REQUESTERS.length === lane),
        ),
      ),
    );
    const cardTs = await precheckedCards(slack, from, SOAK_CHANNELS.pam360, names);
    await quiet(slack);

    // Each card's thread is read until it holds the success reply (as the soak reads outcomes).
    const waiting = new Set(cardTs);
    const pids = replicas.pids;
    const before = cpuNow(pids);
    const at = performance.now();
    let done = 0;
    let after = before;
    const outcomes = pollUntil(() => {
      for (const ts of waiting)
        if (slack.thread(SOAK_CHANNELS.pam360, ts).some((m) => isOutcomeReply('SUCCEEDED', m.text)))
          waiting.delete(ts);
      if (waiting.size === 0) {
        done = performance.now();
        after = cpuNow(pids);
      }
      return waiting.size === 0;
    }, `${cardTs.length} success replies`);
    await Promise.all(
      cardTs.map((ts) => approve(slack, slack.message(SOAK_CHANNELS.pam360, ts)!, APPROVERS[0]!)),
    );
    await outcomes;
    failed = false;
    return { perSec: perSecond(sizes.requests, done - at), cpu: cpuShare(before, after) };
  } finally {
    await replicas.stopAll();
    await world.close(failed);
    if (failed) process.stderr.write(`Replica logs kept in ${world.dir}\n`);
  }
}

export async function runReplicasBench(
  sizes: ReplicasBenchSizes,
  databaseUrl: string,
): Promise<{ rows: FloorRow[]; notes: string[] }> {
  const one: number[] = [];
  const two: number[] = [];
  const notes: string[] = [];
  const cpuMs: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let round = 0; round < sizes.rounds; round += 1)
    for (const count of replicaOrder(round)) {
      const { perSec, cpu } = await measure(count, sizes, databaseUrl);
      (count === 1 ? one : two).push(perSec);
      cpuMs[count].push(cpuMsPerRequest(perSec, cpu));
      notes.push(`round ${round + 1}, ${formatMeasurement(count, perSec, cpu, cpus().length)}`);
    }
  const row = replicasRow({
    requests: sizes.requests,
    simLatencyMs: sizes.simLatencyMs,
    workerConcurrency: WORKER_DEFAULTS.concurrency,
    vendorConcurrency: WORKER_DEFAULTS.vendorConcurrency,
    one,
    two,
  });
  const [oneMs, twoMs] = [median(cpuMs[1]), median(cpuMs[2])];
  const ceiling = cpuCeiling(row.against, twoMs, cpus().length);
  notes.push(
    `replicas: CPU per provisioned request (replicas + PostgreSQL + fakes), median: ${oneMs.toFixed(1)} ms with 1 replica, ${twoMs.toFixed(1)} ms with 2; at that cost ${cpus().length} cores doing nothing else provision at most ${ceiling.perSec.toFixed(1)} req/s = ${ceiling.ratio.toFixed(2)}× one replica; ${REPLICAS_GOAL}× would need ${ceiling.coresForGoal.toFixed(2)} cores`,
  );
  return { rows: [row], notes };
}
