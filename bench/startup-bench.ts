/**
 * Start-up and idle memory of the compiled bot (`node dist/main.js`, as the image runs it) against
 * the bare-Bolt floor: fresh processes, alternating, each timed from spawn to its Socket Mode
 * connection on its own fake Slack, then left idle for a moment and its resident memory read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakes, startWorkspaceSlack } from '../test/integration/harness.ts';
import { startBot, startFloor } from './bench-processes.ts';
import { percentile } from './bench-stats.ts';
import type { FloorRow } from './floor-report.ts';

export interface StartupBenchSizes {
  starts: number;
  /** How long a started process idles before its memory is read. */
  idleMs: number;
}

export const STARTUP_BENCH_SIZES: StartupBenchSizes = { starts: 5, idleMs: 2_000 };

const median = (xs: readonly number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/**
 * Every start of the bot uses the same database, as a restarted container does (the first start
 * also migrates it); `cpuProfDir` gets a CPU profile of each bot start (BENCH_CPU_PROF).
 */
export async function runStartupBench(sizes: StartupBenchSizes, cpuProfDir?: string): Promise<FloorRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-bench-'));
  const botDir = mkdtempSync(join(dir, 'bot-'));
  const fakes = await startFakes();
  const floorSlack = await startWorkspaceSlack();
  const bot = { startup: [] as number[], rss: [] as number[] };
  const floor = { startup: [] as number[], rss: [] as number[] };
  try {
    for (let i = 0; i < sizes.starts; i++) {
      const order = i % 2 === 0 ? (['bot', 'floor'] as const) : (['floor', 'bot'] as const);
      for (const side of order) {
        const child =
          side === 'bot'
            ? await startBot(fakes, botDir, join(dir, 'bot.log'), { cpuProfDir })
            : await startFloor(floorSlack, join(dir, 'floor.log'));
        try {
          await new Promise((r) => setTimeout(r, sizes.idleMs));
          const into = side === 'bot' ? bot : floor;
          into.startup.push(child.startupMs);
          into.rss.push(child.rssMiB());
        } finally {
          await child.stop();
        }
      }
    }
  } finally {
    await Promise.all([fakes.close(), floorSlack.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
  const load = `median of ${sizes.starts}`;
  return [
    {
      what: 'start-up to Socket Mode connected (dist/main.js)',
      load,
      unit: 'ms',
      bot: median(bot.startup),
      against: median(floor.startup),
      againstName: 'bare Bolt',
      maxRatio: 1.3,
    },
    {
      what: 'idle RSS',
      load,
      unit: 'MiB',
      bot: median(bot.rss),
      against: median(floor.rss),
      againstName: 'bare Bolt',
      maxRatio: 1.25,
    },
  ];
}
