/**
 * Ack latency against the floor, in one run: Access Desk (`node dist/main.js`, SQLite, the
 * simulators) and the bare-Bolt floor (bench/floor/bare-bolt.ts) run as separate processes, each on
 * its own identical fake Slack over Socket Mode. Round by round, for each number in flight, both
 * get the same deliveries, all sent at once: `/newuser pam360`, then the PAM360 view submission,
 * then the Approve click. The floor gets the very views and cards the bot produced (copied onto its
 * fake), so payload sizes match. Which side goes first alternates by round, and the bot's follow-up
 * work (modals, cards, pre-checks, provisioning, replies) is awaited before the floor is measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CALLBACK } from '../src/slack/views/ids.ts';
import type { FakeSlack } from '../test/fakes/fake-slack/index.ts';
import { CHANNELS, type Fakes, startFakes, startWorkspaceSlack, USERS } from '../test/integration/harness.ts';
import { approve } from '../test/integration/scenario.ts';
import { type BenchChild, startBot, startFloor } from './bench-processes.ts';
import { percentile } from './bench-stats.ts';
import { collect, pollUntil, precheckedCards, quiet, sleep } from './bench-waits.ts';
import { pam360Form } from './e2e-steps.ts';
import { callsPerRequest, type FloorRow } from './floor-report.ts';

export interface AckBenchSizes {
  /** Deliveries in flight at once. */
  levels: readonly number[];
  rounds: number;
  /** A first unmeasured round at this many in flight. */
  warmup: number;
  /** After the rounds, the bot idles this long before its memory is read a second time. */
  settleMs: number;
}

export const ACK_BENCH_SIZES: AckBenchSizes = {
  levels: [10, 50, 200],
  rounds: 5,
  warmup: 20,
  settleMs: 10_000,
};

export const INTERACTIONS = ['/newuser pam360', 'PAM360 view submission', 'Approve click'] as const;
type Interaction = (typeof INTERACTIONS)[number];
/** The issue's goals: slash commands and clicks ≤ 1.5× the floor; submissions store first, ≤ 3×. */
const MAX_RATIO: Record<Interaction, number> = {
  '/newuser pam360': 1.5,
  'PAM360 view submission': 3,
  'Approve click': 1.5,
};

export interface AckBenchResult {
  rows: FloorRow[];
  calls: ReturnType<typeof callsPerRequest>;
  requests: number;
  notes: string[];
}

/** This process's CPU time (the fake Slacks and the driver) while one side's acks were awaited. */
type BenchCpu = Record<'bot' | 'floor', number>;

/** Sends every delivery at once; resolves with each one's ms from send to ack. */
async function inFlight(
  sends: readonly (() => Promise<{ acked: boolean }>)[],
  cpu: BenchCpu,
  side: keyof BenchCpu,
): Promise<number[]> {
  const before = process.cpuUsage();
  const ms = await Promise.all(
    sends.map(async (send) => {
      const at = performance.now();
      const r = await send();
      if (!r.acked) throw new Error('bench: a delivery was not acked');
      return performance.now() - at;
    }),
  );
  const used = process.cpuUsage(before);
  cpu[side] += (used.user + used.system) / 1000;
  return ms;
}

async function postJson(slack: FakeSlack, method: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${slack.botToken}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (json.ok !== true)
    throw new Error(`bench: ${method} on the floor's fake failed: ${JSON.stringify(json)}`);
  return json;
}

type Samples = Map<string, number[]>;
const key = (i: Interaction, n: number, side: 'bot' | 'floor') => `${i}|${n}|${side}`;
const add = (s: Samples, k: string, v: readonly number[]) => s.set(k, [...(s.get(k) ?? []), ...v]);

interface World {
  fakes: Fakes;
  floorSlack: FakeSlack;
  cpu: BenchCpu;
}

/** One round at `n` in flight; records samples unless it is the warm-up. */
async function round(w: World, r: number, n: number, samples: Samples | null): Promise<void> {
  const { slack } = w.fakes;
  const floor = w.floorSlack;
  const tag = `r${r}n${n}`;
  const users = Array.from({ length: n }, (_, i) => `U0B${tag.toUpperCase()}I${i}`);
  const names = users.map((_, i) => `b${tag}i${String(i).padStart(3, '0')}`);
  const botFirst = r % 2 === 0;
  const both = async (bot: () => Promise<number[]>, fl: () => Promise<number[]>, i: Interaction) => {
    const order = botFirst ? [bot, fl] : [fl, bot];
    const times: number[][] = [];
    for (const run of order) times.push(await run());
    const [botMs, floorMs] = botFirst ? times : times.reverse();
    if (samples) {
      add(samples, key(i, n, 'bot'), botMs!);
      add(samples, key(i, n, 'floor'), floorMs!);
    }
  };
  const command = (s: FakeSlack) => () =>
    inFlight(
      users.map(
        (user) => () =>
          s.slashCommand({ user, command: '/newuser', text: 'pam360', channel: CHANNELS.general }),
      ),
      w.cpu,
      s === floor ? 'floor' : 'bot',
    );

  // 1. /newuser pam360: the bot opens a modal for each.
  await both(
    async () => {
      const ms = await command(slack)();
      await pollUntil(
        () =>
          users.every((u) => slack.lastView(u)?.open && slack.lastView(u)?.callbackId === CALLBACK.newUser),
        `${n} modals`,
      );
      await quiet(slack);
      return ms;
    },
    command(floor),
    '/newuser pam360',
  );

  // 2. The submission: the floor gets the bot's modals, opened on its own fake first.
  const views = users.map((u) => slack.lastView(u)!);
  let cardTs = new Map<string, string>();
  await both(
    async () => {
      const from = slack.transcript().length;
      const ms = await inFlight(
        users.map((user, i) => async () => {
          const r = await slack.submitView({ user, viewId: views[i]!.id, values: pam360Form(names[i]!) });
          if (r.ack?.response_action === 'errors') throw new Error(`bench: refused ${JSON.stringify(r.ack)}`);
          return r;
        }),
        w.cpu,
        'bot',
      );
      // A card may be posted with its pre-check already on it (the vendor lane ran first).
      const ts = await precheckedCards(slack, from, CHANNELS.pam360, names);
      cardTs = new Map(names.map((name, i) => [name, ts[i]!]));
      await quiet(slack);
      return ms;
    },
    async () => {
      const opened: string[] = [];
      for (const [i, user] of users.entries()) {
        const res = await postJson(floor, 'views.open', {
          trigger_id: floor.issueTrigger(user),
          view: views[i]!.view,
        });
        opened.push(String((res.view as { id: string }).id));
      }
      return inFlight(
        users.map(
          (user, i) => () => floor.submitView({ user, viewId: opened[i]!, values: pam360Form(names[i]!) }),
        ),
        w.cpu,
        'floor',
      );
    },
    'PAM360 view submission',
  );

  // 3. Approve: the floor gets the bot's cards as they were when clicked.
  const cards = names.map((x) => {
    const m = slack.message(CHANNELS.pam360, cardTs.get(x) ?? '');
    if (!m) throw new Error(`bench: no card for ${x}`);
    return { channel: m.channel, ts: m.ts, text: m.text, blocks: structuredClone(m.blocks) };
  });
  await both(
    async () => {
      const from = slack.transcript().length;
      const ms = await inFlight(
        cards.map((c) => () => approve(slack, slack.message(c.channel, c.ts)!, USERS.approver1)),
        w.cpu,
        'bot',
      );
      await collect(
        slack,
        from,
        cards.map((c) => c.ts),
        (e) => (e.kind === 'reply' && /USERID/.test(e.text) ? e.threadTs : undefined),
        'results',
      );
      await quiet(slack);
      return ms;
    },
    async () => {
      const posted: string[] = [];
      for (const c of cards) {
        const res = await postJson(floor, 'chat.postMessage', {
          channel: c.channel,
          text: c.text,
          blocks: c.blocks,
        });
        posted.push(String(res.ts));
      }
      return inFlight(
        posted.map((ts) => () => approve(floor, floor.message(CHANNELS.pam360, ts)!, USERS.approver1)),
        w.cpu,
        'floor',
      );
    },
    'Approve click',
  );
}

/**
 * The bot's memory after the rounds against its idle figure: as the last round's follow-up work
 * went quiet (the goal: what a container's memory limit must hold right after a burst), and again
 * after `settleMs` with nothing to do, which shows whether V8 hands garbage back by itself.
 */
async function memoryRows(bot: BenchChild, idleMiB: number, requests: number, settleMs: number) {
  const what = `RSS after ${requests.toLocaleString('en-US')} requests`;
  const row = { load: '', unit: 'MiB', against: idleMiB, againstName: 'idle' } as const;
  const end = bot.rssMiB();
  await sleep(settleMs);
  return [
    { ...row, what, bot: end, maxRatio: 1.5 },
    { ...row, what: `${what}, then ${settleMs / 1000} s idle`, bot: bot.rssMiB(), maxRatio: null },
  ] satisfies FloorRow[];
}

export interface AckBenchOptions {
  sizes: AckBenchSizes;
  /** Requests after which the bot's memory is read against its idle figure. */
  memoryAfter: number;
  /** Where the bot writes a CPU profile of the whole ack run (BENCH_CPU_PROF). */
  cpuProfDir?: string | undefined;
  /** More environment for the bot (BENCH_BOT_NODE_OPTIONS → NODE_OPTIONS). */
  botEnv?: Readonly<Record<string, string>>;
}

export async function runAckBench({
  sizes,
  memoryAfter,
  cpuProfDir,
  botEnv,
}: AckBenchOptions): Promise<AckBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-bench-'));
  const fakes = await startFakes();
  const floorSlack = await startWorkspaceSlack();
  const children: BenchChild[] = [];
  const notes: string[] = [];
  try {
    const bot = await startBot(fakes, dir, join(dir, 'bot.log'), { cpuProfDir, env: botEnv });
    children.push(bot);
    const floor = await startFloor(floorSlack, join(dir, 'floor.log'));
    children.push(floor);
    await sleep(1000);
    const idleMiB = bot.rssMiB();
    const w: World = { fakes, floorSlack, cpu: { bot: 0, floor: 0 } };
    await round(w, 99, sizes.warmup, null);
    w.cpu = { bot: 0, floor: 0 };
    const callsFrom = fakes.slack.calls().length;
    const samples: Samples = new Map();
    let requests = 0;
    for (let r = 0; r < sizes.rounds; r++) {
      for (const n of sizes.levels) {
        await round(w, r, n, samples);
        requests += n;
      }
    }
    const methods = fakes.slack
      .calls()
      .slice(callsFrom)
      .map((c) => c.method);
    const rows: FloorRow[] = [];
    const at = (i: Interaction, n: number, side: 'bot' | 'floor', p: number) =>
      percentile(
        [...samples.get(key(i, n, side))!].sort((a, b) => a - b),
        p,
      );
    for (const p of [99, 50])
      for (const i of INTERACTIONS)
        for (const n of sizes.levels)
          rows.push({
            what: `${i}: ack p${p}`,
            load: `${n} in flight`,
            unit: 'ms',
            bot: at(i, n, 'bot', p),
            against: at(i, n, 'floor', p),
            againstName: 'bare Bolt',
            // The goals are on p99; the medians are shown because they are steadier on a shared machine.
            maxRatio: p === 99 ? MAX_RATIO[i] : null,
          });
    const total = requests + sizes.warmup;
    if (total >= memoryAfter) rows.push(...(await memoryRows(bot, idleMiB, total, sizes.settleMs)));
    else notes.push(`RSS after ${memoryAfter} requests not measured (${total} requests in this run)`);
    notes.push(
      `this process (fake Slacks + driver) used ${Math.round(w.cpu.bot)} ms of CPU while the bot's acks were awaited, ${Math.round(w.cpu.floor)} ms while the floor's were: the bot's fake also answers its Web API calls`,
    );
    for (const v of [...fakes.slack.violations(), ...floorSlack.violations()])
      notes.push(`fake Slack limit violation: ${JSON.stringify(v).slice(0, 200)}`);
    return { rows, calls: callsPerRequest(methods, requests), requests, notes };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await Promise.all([fakes.close(), floorSlack.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
