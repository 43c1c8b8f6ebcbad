/**
 * Approve → the PAM360 create request, with the simulator answering every call in 50 ms: the bot
 * (`node dist/main.js`, SQLite, default worker settings) gets one Approve at a time, then a
 * burst of approvals clicked at once; each time runs from the click to the simulator receiving the
 * create call (its counter, polled every millisecond). The issue's goal: the burst's p50 ≤ 3× the
 * one-at-a-time p50.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CALLBACK } from '../src/slack/views/ids.ts';
import { CHANNELS, startFakes, USERS } from '../test/integration/harness.ts';
import { approve } from '../test/integration/scenario.ts';
import { startBot } from './bench-processes.ts';
import { median } from './bench-stats.ts';
import { pollUntil, precheckedCards, quiet } from './bench-waits.ts';
import { pam360Form } from './e2e-steps.ts';
import type { FloorRow } from './floor-report.ts';

export interface ProvisionBenchSizes {
  oneAtATime: number;
  burst: number;
  /** How long the simulator takes to answer each call. */
  simLatencyMs: number;
}

export const PROVISION_BENCH_SIZES: ProvisionBenchSizes = { oneAtATime: 10, burst: 50, simLatencyMs: 50 };

export interface ProvisionBenchOptions {
  /** More environment for the bot (WORKER_VENDOR_CONCURRENCY…). */
  botEnv?: Readonly<Record<string, string>>;
  /** Where the bot writes a CPU profile of the whole run (BENCH_CPU_PROF). */
  cpuProfDir?: string | undefined;
}

export async function runProvisionBench(
  sizes: ProvisionBenchSizes,
  { botEnv = {}, cpuProfDir }: ProvisionBenchOptions = {},
): Promise<FloorRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-bench-'));
  const fakes = await startFakes();
  const { slack, pam360 } = fakes;
  const bot = await startBot(fakes, dir, join(dir, 'bot.log'), { env: botEnv, cpuProfDir });
  try {
    for (const route of ['createUser', 'getUserId'] as const)
      pam360.fault(route, { latencyMs: sizes.simLatencyMs }, 1_000_000);
    const names = Array.from(
      { length: sizes.oneAtATime + sizes.burst },
      (_, i) => `prov${String(i).padStart(3, '0')}`,
    );
    const from = slack.transcript().length;
    for (const [i, name] of names.entries()) {
      const user = `U0PROV${i}`;
      await slack.slashCommand({ user, command: '/newuser', text: 'pam360', channel: CHANNELS.general });
      const view = await pollUntil(() => {
        const v = slack.lastView(user);
        return v?.open && v.callbackId === CALLBACK.newUser && v;
      }, `the modal of ${name}`);
      const r = await slack.submitView({ user, viewId: view.id, values: pam360Form(name) });
      if (r.ack?.response_action === 'errors') throw new Error(`bench: refused ${JSON.stringify(r.ack)}`);
    }
    const cardTs = await precheckedCards(slack, from, CHANNELS.pam360, names);
    await quiet(slack);

    const click = (ts: string) => approve(slack, slack.message(CHANNELS.pam360, ts)!, USERS.approver1);
    const one: number[] = [];
    for (const ts of cardTs.slice(0, sizes.oneAtATime)) {
      const before = pam360.createCalls;
      const at = performance.now();
      await click(ts);
      await pollUntil(() => pam360.createCalls > before, 'the create call', 1);
      one.push(performance.now() - at);
      await quiet(slack);
    }

    const burst = cardTs.slice(sizes.oneAtATime);
    const before = pam360.createCalls;
    const arrivals: number[] = [];
    const at = performance.now();
    const clicks = Promise.all(burst.map(click));
    await pollUntil(
      () => {
        const now = performance.now();
        while (before + arrivals.length < pam360.createCalls) arrivals.push(now - at);
        return arrivals.length === burst.length;
      },
      `${burst.length} create calls`,
      1,
    );
    await clicks;
    await quiet(slack);
    return [
      {
        what: `Approve → PAM360 create request p50 (sim answers in ${sizes.simLatencyMs} ms${botEnv.WORKER_VENDOR_CONCURRENCY ? `, WORKER_VENDOR_CONCURRENCY=${botEnv.WORKER_VENDOR_CONCURRENCY}` : ''})`,
        load: `burst of ${burst.length}`,
        unit: 'ms',
        bot: median(arrivals),
        against: median(one),
        againstName: 'one at a time',
        maxRatio: 3,
      },
    ];
  } finally {
    await bot.stop();
    await fakes.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
