/**
 * The bot and the bare-Bolt floor as child processes, each against its own fake Slack: start-up to
 * Socket Mode connected (measured from spawn to the fake's accepted connection), resident memory
 * read from /proc, and a graceful stop. Output goes to a log file, never through this process. The
 * bot runs as the image does: the Dockerfile's CMD and ENV (its heap flags included), read the way
 * scripts/image-check reads them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { parseDockerfile } from '../scripts/image-check/dockerfile.ts';
import { generateSecretKey } from '../src/secrets/secret-box.ts';
import type { FakeSlack } from '../test/fakes/fake-slack/index.ts';
import type { Fakes } from '../test/integration/harness.ts';

const ROOT = join(import.meta.dirname, '..');
const FLOOR_ENTRY = join(import.meta.dirname, 'floor', 'bare-bolt.ts');
const CONNECT_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export type Side = 'bot' | 'floor';

export interface BenchChild {
  side: Side;
  pid: number;
  /** ms from spawn to the fake Slack accepting its Socket Mode connection. */
  startupMs: number;
  rssMiB(): number;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** `npm run build` (tsc → dist/), so the bot measured is the current source, compiled as the image runs it. */
export function buildBot(): void {
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) throw new Error(`bench: the build failed\n${tsc.stdout}${tsc.stderr}`);
}

const vmRss = z
  .string()
  .transform((text) => /^VmRSS:\s+(\d+) kB$/m.exec(text)?.[1])
  .pipe(z.string().regex(/^\d+$/))
  .transform(Number);

/** Resident set size of a process in MiB (Linux /proc). */
export const rssMiBOf = (pid: number): number =>
  vmRss.parse(readFileSync(`/proc/${pid}/status`, 'utf8')) / 1024;

async function startChild(
  side: Side,
  args: string[],
  env: Record<string, string>,
  slack: FakeSlack,
  logFile: string,
): Promise<BenchChild> {
  const before = slack.connections;
  const out = openSync(logFile, 'a');
  const started = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  const exited = once(child, 'exit');
  const failed = exited.then(([code]) => {
    throw new Error(`bench: the ${side} exited (${code}) before connecting; see ${logFile}`);
  });
  await Promise.race([
    slack.waitFor(() => slack.connections > before, {
      timeoutMs: CONNECT_TIMEOUT_MS,
      description: `the ${side}'s Socket Mode connection`,
    }),
    failed,
  ]);
  failed.catch(() => undefined);
  const startupMs = performance.now() - started;
  const pid = child.pid!;
  return {
    side,
    pid,
    startupMs,
    rssMiB: () => rssMiBOf(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The floor: bench/floor/bare-bolt.ts on `slack`. */
export const startFloor = (slack: FakeSlack, logFile: string): Promise<BenchChild> =>
  startChild(
    'floor',
    [FLOOR_ENTRY],
    { SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken, SLACK_API_URL: slack.apiUrl },
    slack,
    logFile,
  );

/** How the image starts the bot: node's arguments from the runtime stage's CMD, and its ENV. */
export interface ImageCommand {
  nodeArgs: string[];
  env: Record<string, string>;
}

/** The last stage of `dockerfile` (the runtime image); its CMD must run node, with WORKDIR as the checkout. */
export function imageCommand(dockerfile: string): ImageCommand {
  const runtime = parseDockerfile(dockerfile).at(-1);
  const cmd = runtime?.cmd;
  if (!runtime || !cmd || cmd[0] !== 'node')
    throw new Error(
      `bench: the Dockerfile's last stage must have CMD ["node", …]; got ${JSON.stringify(cmd)}`,
    );
  return { nodeArgs: cmd.slice(1), env: { ...runtime.env } };
}

export interface BotOptions {
  /** A V8 CPU profile is written there when the bot stops (bench/profile-top.ts reads it). */
  cpuProfDir?: string | undefined;
  /** More environment for the bot, over the image's (WORKER_CONCURRENCY…; a NODE_OPTIONS replaces the image's). */
  env?: Readonly<Record<string, string>>;
}

/**
 * The bot as the image runs it (the Dockerfile's CMD and ENV: `node dist/main.js`, NODE_ENV, the
 * memory settings), built from the current source by `buildBot`, on SQLite in `dir`, against `fakes`
 * with their default vendor settings; info logs, as in production.
 */
export function startBot(
  fakes: Fakes,
  dir: string,
  logFile: string,
  { cpuProfDir, env = {} }: BotOptions = {},
): Promise<BenchChild> {
  const configFile = fakes.writeSettingsFile(join(dir, 'access-desk.json'));
  const image = imageCommand(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  return startChild(
    'bot',
    [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), ...image.nodeArgs],
    {
      ...image.env,
      ACCESS_DESK_CONFIG: configFile,
      ACCESS_DESK_SECRET_KEY: generateSecretKey(),
      STORE_SQLITE_PATH: join(dir, 'access-desk.db'),
      HEALTH_PORT: '0',
      ...env,
    },
    fakes.slack,
    logFile,
  );
}
