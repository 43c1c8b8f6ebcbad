/**
 * pino JSON logs. Secret-bearing paths are redacted wherever they appear (two levels deep, which
 * covers headers, config objects and vendor payloads); code must still never log a secret on purpose.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'AUTHTOKEN',
  'authToken',
  'authtoken',
  'INPUT_DATA',
  'PASSWORD',
  'password',
  'passphrase',
  'clientSecret',
  'client_secret',
  'access_token',
  'tokenId',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'ssoPassword',
  'clientCertPassphrase',
  'databaseUrl',
  'x-openam-password',
  'X-OpenAM-Password',
  'secret',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export interface LoggerOptions {
  level: string;
  /** Where lines go (tests capture them); default stdout. */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'access-desk' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" rather than 30: log pipelines filter on the word.
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}

/** Child logger carrying the request, vendor and Slack user it works for. */
export function requestLogger(
  log: Logger,
  ctx: { requestId?: string; vendor?: string; slackUser?: string },
): Logger {
  return log.child(ctx);
}
