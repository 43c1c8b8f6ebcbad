/**
 * The process, once main.ts has switched the compile cache on: configuration (the environment over
 * `.env` when present) → runtime. A start-up failure we can explain (a bad setting, a token Slack
 * refuses, an unreachable URL) prints every problem by setting name on stderr and one JSON log
 * line, never a stack, and exits 1.
 */
import { readFileSync } from 'node:fs';
import { withEnvFile } from './config/env-file.ts';
import { type Env, loadConfig } from './config/load-config.ts';
import type { Config } from './config/schema.ts';
import { ConfigError, coerceError, StartupError } from './errors.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { type Runtime, startAccessDesk } from './runtime.ts';

const SHUTDOWN_RESERVE_MS = 2_000;

function cannotStart(log: Logger, e: ConfigError | StartupError): never {
  const issues = e instanceof ConfigError ? e.issues : [{ setting: e.setting, message: e.message }];
  log.fatal({ code: e.code, issues }, `Access Desk cannot start: ${e.message}`);
  process.stderr.write(`Access Desk cannot start.\n${e.message}\n`);
  process.exit(1);
}

async function main(env: Env): Promise<void> {
  let config: Config;
  try {
    const readFile = (path: string) => readFileSync(path, 'utf8');
    config = loadConfig(withEnvFile(env, readFile), readFile);
  } catch (e) {
    if (e instanceof ConfigError) cannotStart(createLogger({ level: 'info' }), e);
    throw e;
  }
  const log = createLogger({ level: config.log.level });
  let runtime: Runtime;
  try {
    runtime = await startAccessDesk({ config, log });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StartupError) cannotStart(log, e);
    throw e;
  }
  const stop = async (signal: string) => {
    const { timeoutMs } = config.shutdown;
    log.info({ signal, timeoutMs }, 'stopping');
    // The bound holds even if a vendor call or the socket hangs; leased jobs are reclaimed later.
    setTimeout(() => {
      log.warn({ timeoutMs }, 'shutdown bound reached; exiting with work still in hand');
      process.exit(1);
    }, timeoutMs).unref();
    // Jobs in hand get the bound minus what the worker's abort grace (1 s), handing leases back and
    // closing the socket and the pool take; then the worker aborts and releases them.
    await runtime.stop({ deadlineMs: Math.max(0, timeoutMs - SHUTDOWN_RESERVE_MS) });
    log.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main(process.env).catch((e: unknown) => {
  process.stderr.write(`Access Desk failed: ${coerceError(e).message}\n`);
  process.exit(1);
});
