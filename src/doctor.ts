/**
 * `npm run doctor` (in the image: `node dist/doctor.js`): loads the configuration as the bot does,
 * checks Slack and every enabled vendor for real, prints a PASS/FAIL table with the fix for each
 * failure, and exits 1 when anything failed. A configuration that does not load is reported the
 * same way start-up reports it.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from './config/load-config.ts';
import { runDoctor } from './doctor/run-doctor.ts';
import { renderTable } from './domain/check-result.ts';
import { systemClock } from './domain/clock.ts';
import { ConfigError, coerceError } from './errors.ts';
import { createLogger } from './observability/logger.ts';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, (path) => readFileSync(path, 'utf8'));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stdout.write(`FAIL  configuration\n${e.message}\n`);
    return 1;
  }
  // Vendor clients log their calls; the table says what matters, so only errors go to stderr.
  const log = createLogger({ level: 'error', destination: process.stderr });
  const results = await runDoctor(config, { log, clock: systemClock });
  process.stdout.write(renderTable(results));
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`doctor failed: ${coerceError(e).message}\n`);
    process.exit(1);
  },
);
