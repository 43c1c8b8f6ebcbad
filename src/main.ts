/** Composition root: configuration → runtime; a bad configuration stops here with every problem listed. */
import { readFileSync } from 'node:fs';
import { loadConfig } from './config/load-config.ts';
import { ConfigError, coerceError } from './errors.ts';
import { createLogger } from './observability/logger.ts';
import { startAccessDesk } from './runtime.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, (path) => readFileSync(path, 'utf8'));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Access Desk cannot start.\n${e.message}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.log.level });
  let runtime: Awaited<ReturnType<typeof startAccessDesk>>;
  try {
    runtime = await startAccessDesk({ config, log });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Access Desk cannot start.\n${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Access Desk failed: ${coerceError(e).message}\n`);
  process.exit(1);
});
