/** The soak's command line: `npm run soak [-- --quick] [--requests N] [--kill-every-ms N] [--replicas N]`. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export interface SoakOptions {
  quick: boolean;
  requests: number;
  replicas: number;
  killEveryMs: number;
  /** Requests in flight at once (players). */
  concurrency: number;
  /** Hard limit on the whole run; the soak fails rather than hang. */
  deadlineMs: number;
  /** Seed of the run's randomness (printed, so a failing run can be replayed). */
  seed: number | undefined;
  /** The RELIABILITY.md section this run replaces. */
  label: string;
  /** Where the figures go (RELIABILITY.md); null: print only. */
  reportPath: string | null;
}

const positive = z.coerce.number().int().positive();

export function parseOptions(argv: readonly string[]): SoakOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      requests: { type: 'string' },
      replicas: { type: 'string' },
      'kill-every-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'deadline-s': { type: 'string' },
      report: { type: 'string' },
      seed: { type: 'string' },
      label: { type: 'string' },
      'no-report': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const requests = positive.parse(values.requests ?? (quick ? 60 : 500));
  return {
    quick,
    requests,
    replicas: positive.parse(values.replicas ?? 3),
    killEveryMs: positive.parse(values['kill-every-ms'] ?? 3_000),
    concurrency: positive.parse(values.concurrency ?? 12),
    // A bound against hanging, not a speed test: a loaded machine is slow, not wrong.
    deadlineMs: positive.parse(values['deadline-s'] ?? (quick ? 300 : Math.max(1800, requests * 4))) * 1000,
    // The quick run (CI) only prints; a full run records its figures.
    seed: values.seed === undefined ? undefined : positive.parse(values.seed),
    label:
      values.label ?? (quick ? 'quick' : `R=${requests}, kill every ${values['kill-every-ms'] ?? 3_000} ms`),
    reportPath: values['no-report'] ? null : (values.report ?? (quick ? null : 'RELIABILITY.md')),
  };
}
