/**
 * pino JSON logs. Every logged object is scrubbed before it is written: a key naming a secret is
 * redacted at any depth, and an Error anywhere keeps only name, message, code, kind and stack (an
 * undici or pg error also carries request options, headers or a query with its parameters). Code
 * must still never log a secret on purpose.
 */
import { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

const SECRET_KEY_NAMES = [
  'authorization',
  'cookie',
  'set-cookie',
  'AUTHTOKEN',
  'INPUT_DATA',
  'password',
  'passphrase',
  'clientSecret',
  'client_secret',
  'access_token',
  'refresh_token',
  'tokenId',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'ssoPassword',
  'clientCertPassphrase',
  'databaseUrl',
  'connectionString',
  'X-OpenAM-Password',
  'secret',
  'secretKey',
];

/** Compared case-insensitively. */
const SECRET_KEYS = new Set(SECRET_KEY_NAMES.map((k) => k.toLowerCase()));

const REDACTED = '[redacted]';
/** Deeper than any shape we log on purpose; stops cycles and hostile nesting. */
const MAX_DEPTH = 12;

export interface SafeError {
  name: string;
  message: string;
  code?: unknown;
  kind?: unknown;
  stack?: string;
}

/** The fields of an error that are safe to log, whatever else it carries. */
export function safeError(e: Error): SafeError {
  const { code, kind } = e as { code?: unknown; kind?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

/** A copy of `value` with secret keys redacted at any depth and errors reduced to safeError. */
export function scrub(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return safeError(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Date) return value;
  // Raw bytes may be a certificate or a body; their size is all a reader needs.
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : scrub(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level: string;
  /**
   * Where lines go (tests capture them); default stdout, written asynchronously so a burst of
   * lines does not block the event loop on write(2) (pino flushes what is pending at exit).
   */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const root = pino(
    {
      level: opts.level,
      base: { app: 'access-desk' },
      formatters: {
        // "level":"info" rather than 30: log pipelines filter on the word.
        level: (label) => ({ level: label }),
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      serializers: { err: (e: unknown) => scrub(e) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  );
  return scrubbingChildBindings(root);
}

/**
 * pino applies no formatter to a child's bindings, so every child (and its children: they inherit
 * this `child`) scrubs them once, when it is made. Not pino's `redact`: its wildcard paths would
 * re-walk every value of every line, about ten times the cost of the line itself.
 */
function scrubbingChildBindings(root: Logger): Logger {
  const child = root.child;
  root.child = function <L extends string = never>(
    this: Logger,
    bindings: Bindings,
    options?: ChildLoggerOptions<L>,
  ) {
    return child.call<Logger, [Bindings, ChildLoggerOptions<L> | undefined], Logger<L>>(
      this,
      scrub(bindings) as Bindings,
      options,
    );
  };
  return root;
}

/** Child logger carrying the request, vendor and Slack user it works for. */
export function requestLogger(
  log: Logger,
  ctx: { requestId?: string; vendor?: string; slackUser?: string },
): Logger {
  return log.child(ctx);
}
