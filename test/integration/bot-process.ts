/**
 * The real bot as its own OS process (`node src/main.ts`), configured like a deployment (a settings
 * file and environment variables) against the fakes and one SQLite file, so tests can SIGTERM or
 * SIGKILL it and start another on the same store.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { type Fakes, freePort, startFakes } from './harness.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface BotProcess {
  bot: ChildProcess;
  output: () => string;
}

export interface BotDeployment {
  /** Where the bots' store lives, and its key (to open it from the test). */
  sqlitePath: string;
  secretKey: string;
  /** Starts one bot process and waits for its Socket Mode connection. */
  start(): Promise<BotProcess>;
  /** SIGKILLs every bot still running and removes the folder. */
  close(): void;
}

/** A folder with the settings file and store every bot of this deployment shares. */
export function botDeployment(f: Fakes, env: Record<string, string> = {}): BotDeployment {
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-bot-'));
  const configFile = f.writeSettingsFile(join(dir, 'config.json'));
  const sqlitePath = join(dir, 'access-desk.db');
  const secretKey = generateSecretKey();
  const bots: ChildProcess[] = [];
  return {
    sqlitePath,
    secretKey,
    async start() {
      const before = f.slack.connections;
      const bot = spawn(process.execPath, [main], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          ACCESS_DESK_CONFIG: configFile,
          ACCESS_DESK_SECRET_KEY: secretKey,
          STORE_SQLITE_PATH: sqlitePath,
          ...env,
          HEALTH_PORT: String(await freePort()),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      bots.push(bot);
      let output = '';
      bot.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      bot.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      await f.slack.waitFor(() => f.slack.connections > before || bot.exitCode !== null, {
        timeoutMs: 30_000,
      });
      if (bot.exitCode !== null) throw new Error(`the bot exited at start-up:\n${output}`);
      return { bot, output: () => output };
    },
    close() {
      for (const bot of bots.splice(0))
        if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** For a test file: each test gets fresh fakes and a deployment; its bots are killed after it. */
export function useBotDeployment(): (
  env?: Record<string, string>,
) => Promise<{ f: Fakes; d: BotDeployment }> {
  let fakes: Fakes | null = null;
  let deployment: BotDeployment | null = null;
  afterEach(async () => {
    deployment?.close();
    deployment = null;
    await fakes?.close();
    fakes = null;
  });
  return async (env = {}) => {
    fakes = await startFakes();
    deployment = botDeployment(fakes, env);
    return { f: fakes, d: deployment };
  };
}
