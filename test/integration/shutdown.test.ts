/**
 * SIGTERM while a create call is in flight: the real bot (`src/main.ts`, its own process) stops
 * within SHUTDOWN_TIMEOUT_MS, hands its job back instead of leaving it leased, and a second process
 * on the same store finishes the request once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { openStore } from '../../src/store/open-store.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { type Fakes, freePort, startFakes, USERS } from './harness.ts';
import { approve, plainText, requestAccount, waitForCard, waitForReply } from './scenario.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 4_000;

let fakes: Fakes | null = null;
let dir = '';
const bots: ChildProcess[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
  await fakes?.close();
  fakes = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startBot(
  f: Fakes,
  env: Record<string, string>,
): Promise<{ bot: ChildProcess; output: () => string }> {
  const before = f.slack.connections;
  const bot = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, HEALTH_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bots.push(bot);
  let output = '';
  bot.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  bot.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await f.slack.waitFor(() => f.slack.connections > before || bot.exitCode !== null, { timeoutMs: 30_000 });
  if (bot.exitCode !== null) throw new Error(`the bot exited at start-up:\n${output}`);
  return { bot, output: () => output };
}

describe('graceful shutdown', () => {
  it('SIGTERM mid create call: exits 0 within the bound, the job is handed back, a second process finishes it once', async () => {
    const f = await startFakes();
    fakes = f;
    dir = mkdtempSync(join(tmpdir(), 'access-desk-shutdown-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        slack: { botToken: f.slack.botToken, appToken: f.slack.appToken, apiUrl: f.slack.apiUrl },
        vendors: f.vendorSettings(),
      }),
    );
    const sqlitePath = join(dir, 'access-desk.db');
    const secretKey = generateSecretKey();
    const env = {
      ACCESS_DESK_CONFIG: configFile,
      ACCESS_DESK_SECRET_KEY: secretKey,
      STORE_SQLITE_PATH: sqlitePath,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };

    const first = await startBot(f, env);
    const held = f.pam360.hold('createUser');
    await requestAccount(f.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Shut',
      LASTNAME: 'Down',
      USERNAME: 'shutdown1',
      EMAIL: 'shut.down@example.com',
    });
    const card = await waitForCard(f.slack, 'pam360');
    await approve(f.slack, card, USERS.approver1);
    await held.reached;

    const exited = once(first.bot, 'exit');
    const sent = performance.now();
    first.bot.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    // A bound on correctness (the setting), not a speed measurement.
    expect(performance.now() - sent).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1_000);
    expect(code, first.output()).toBe(0);
    expect(first.output()).toMatch(/"msg":"stopped"/);

    const { log } = captureLogger('silent');
    const store = await openStore({ sqlitePath, secretKey }, { log });
    try {
      const [req] = await store.listRequests({ limit: 10 });
      const jobs = await store.listJobs(req!.id);
      expect(jobs.filter((j) => j.state === 'running')).toEqual([]);
      expect(jobs.find((j) => j.kind === 'provision')).toMatchObject({ state: 'queued', leaseOwner: null });
    } finally {
      await store.close();
    }

    // The held call reaches PAM360 after all (it was sent): the next process must not create twice.
    held.release();
    await startBot(f, env);
    await waitForReply(f.slack, card, /USERID|already exists/);
    expect(f.pam360.createCalls).toBe(1);
    const outcomes = f.slack
      .thread(card.channel, card.ts!)
      .filter((m) => /USERID|already exists/.test(plainText(m)));
    expect(outcomes).toHaveLength(1);
  }, 60_000);
});
