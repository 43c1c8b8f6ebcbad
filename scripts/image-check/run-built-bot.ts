/**
 * Starts the runtime stage's CMD (the built bot, production node_modules only) against the fake
 * Slack and the simulators, which run here from the full checkout. Then: /readyz answers 200, one
 * PAM360 request goes submit → approve → USERID in the thread, the image's HEALTHCHECK passes, and
 * STOPSIGNAL stops the bot with exit 0.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { freePort, startFakes, USERS } from '../../test/integration/harness.ts';
import { approve, requestAccount, waitForCard, waitForReply } from '../../test/integration/scenario.ts';
import type { PlayedStage } from './play-stages.ts';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** `node` in an exec form is this Node 24; the image's own node is the same major. */
const resolveArgv = (argv: string[]) => (argv[0] === 'node' ? [process.execPath, ...argv.slice(1)] : argv);

/** The image's ENV, with paths under a VOLUME moved to the temp folder that stands in for it. */
function imageEnv(runtime: PlayedStage, volumes: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(runtime.stage.env)) {
    const volume = runtime.stage.volumes.find((v) => value === v || value.startsWith(`${v}/`));
    env[name] = volume ? join(volumes, value) : value;
  }
  for (const v of runtime.stage.volumes) mkdirSync(join(volumes, v), { recursive: true });
  return env;
}

async function waitForReady(url: string, bot: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (bot.exitCode !== null) throw new Error(`the built bot exited (${bot.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200 within ${READY_TIMEOUT_MS} ms (last: ${last}):\n${output()}`);
}

export async function runBuiltBot(runtime: PlayedStage, root: string): Promise<void> {
  const { cmd, healthcheck, stopSignal } = runtime.stage;
  if (!cmd) throw new Error(`stage ${runtime.stage.name} has no CMD`);
  const fakes = await startFakes();
  let bot: ChildProcess | null = null;
  let output = '';
  try {
    const configFile = fakes.writeSettingsFile(join(root, 'access-desk.json'));
    const healthPort = await freePort();
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...imageEnv(runtime, join(root, 'volumes')),
      ACCESS_DESK_CONFIG: configFile,
      ACCESS_DESK_SECRET_KEY: generateSecretKey(),
      HEALTH_PORT: String(healthPort),
    };
    const [command, ...args] = resolveArgv(cmd);
    console.log(`  [${runtime.stage.name}] ${cmd.join(' ')}  (HEALTH_PORT=${healthPort})`);
    const child = spawn(command!, args, { cwd: runtime.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    bot = child;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));

    await waitForReady(`http://127.0.0.1:${healthPort}/readyz`, child, () => output);
    await fakes.slack.waitFor(() => fakes.slack.connections > 0, { timeoutMs: READY_TIMEOUT_MS });
    console.log('  /readyz 200, Socket Mode connected');

    const submitted = await requestAccount(fakes.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Image',
      LASTNAME: 'Check',
      USERNAME: 'imagecheck',
      EMAIL: 'image.check@example.com',
    });
    if (submitted.ack?.response_action === 'errors')
      throw new Error(`the form was refused: ${JSON.stringify(submitted.ack.errors)}`);
    const card = await waitForCard(fakes.slack, 'pam360');
    await approve(fakes.slack, card, USERS.approver1);
    await waitForReply(fakes.slack, card, /USERID/);
    console.log('  PAM360 request: submitted → approved → USERID in the thread');

    if (healthcheck) {
      const [hc, ...hcArgs] = resolveArgv(healthcheck);
      const probe = spawnSync(hc!, hcArgs, { cwd: runtime.dir, env, encoding: 'utf8', timeout: 10_000 });
      if (probe.status !== 0) throw new Error(`HEALTHCHECK failed (exit ${probe.status}): ${probe.stderr}`);
      console.log('  HEALTHCHECK passes');
    }

    const signal = (stopSignal ?? 'SIGTERM') as NodeJS.Signals;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const [code, killedBy] = (await exited) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    if (code !== 0) throw new Error(`after ${signal} the bot exited with ${code ?? killedBy}:\n${output}`);
    console.log(`  ${signal} → exit 0`);
  } finally {
    if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
    await fakes.close();
  }
}
