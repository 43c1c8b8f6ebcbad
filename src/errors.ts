/**
 * Shared error taxonomy. Control flow is decided by `instanceof` and, for vendor errors, by `kind`
 * (Teleport's "kind decides control flow"). Messages never carry secret values.
 */
import type { WhoCanHelp } from './domain/approval-policy.ts';
import type { RequestStatus } from './domain/request.ts';

export abstract class AccessDeskError extends Error {
  /** Stable snake_case code, safe to log and to match on. */
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One bad setting, named the way the operator sets it (env var name or config-file path). */
export interface ConfigIssue {
  setting: string;
  message: string;
  hint?: string;
}

export class ConfigError extends AccessDeskError {
  readonly code = 'config_invalid';
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.setting}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`).join('\n'),
    );
    this.issues = issues;
  }
}

/**
 * Start-up stopped by something outside the configuration file that a setting controls (Slack
 * refused a token, a URL is unreachable, a port is taken): the message starts with the setting.
 */
export class StartupError extends AccessDeskError {
  readonly code = 'startup_failed';
  readonly setting: string;
  constructor(setting: string, problem: string) {
    super(`${setting} ${problem}`);
    this.setting = setting;
  }
}

/** Form or input rejected; `fields` maps a modal block id (or field name) to one message. */
export class ValidationError extends AccessDeskError {
  readonly code = 'validation_failed';
  readonly fields: Readonly<Record<string, string>>;
  constructor(fields: Record<string, string>) {
    super(`Invalid input: ${Object.keys(fields).join(', ')}`);
    this.fields = fields;
  }
}

/** The actor may not do this; state is unchanged. `reason` is shown to the actor. */
export class NotAllowedError extends AccessDeskError {
  readonly code = 'not_allowed';
  /** Plain text; the views escape it. */
  readonly reason: string;
  readonly who: WhoCanHelp | undefined;
  constructor(reason: string, who?: WhoCanHelp) {
    super(reason);
    this.reason = reason;
    this.who = who;
  }
}

/** A conditional update lost: someone else changed the request first. Never an error log. */
export class TransitionConflictError extends AccessDeskError {
  readonly code = 'transition_conflict';
  readonly current: { status: RequestStatus; version: number };
  /** Slack user id (or 'system') of whoever made the last change, when known. */
  readonly winner: string | null;
  /** Still pending, but edited since the caller saw it (the payload hash they hold is gone). */
  readonly edited: boolean;
  constructor(current: { status: RequestStatus; version: number }, winner: string | null, edited = false) {
    super(
      edited
        ? 'Request was edited since it was shown'
        : `Request is already ${current.status}${winner ? ` (by ${winner})` : ''}`,
    );
    this.current = current;
    this.winner = winner;
    this.edited = edited;
  }
}

export class RequestNotFoundError extends AccessDeskError {
  readonly code = 'request_not_found';
  readonly requestId: string;
  constructor(requestId: string) {
    super(`Request ${requestId} not found`);
    this.requestId = requestId;
  }
}

/** Thrown by a job that wants to run again later (vendor throttled, Slack rate limit, …). */
export class RetryLaterError extends AccessDeskError {
  readonly code: string = 'retry_later';
  readonly delayMs: number;
  constructor(delayMs: number, reason: string) {
    super(reason);
    this.delayMs = delayMs;
  }
}

export const ERROR_KINDS = ['auth', 'validation', 'duplicate', 'throttle', 'transient', 'unknown'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Anything a vendor call can fail with. `vendorMessages` are the vendor's own words, shown to users.
 * `requestSent` is true when the request may have reached the vendor (timeout or reset after
 * sending): the outcome of a create call is then unknown and it must not be repeated blindly.
 */
export class VendorError extends AccessDeskError {
  readonly code: string;
  readonly vendor: string;
  readonly kind: ErrorKind;
  readonly httpStatus: number | null;
  readonly vendorMessages: readonly string[];
  readonly requestSent: boolean;
  /** Milliseconds to wait before trying again (throttle), when the vendor said so. */
  readonly retryAfterMs: number | null;
  constructor(init: {
    vendor: string;
    kind: ErrorKind;
    message: string;
    httpStatus?: number | null;
    vendorMessages?: readonly string[];
    requestSent?: boolean;
    retryAfterMs?: number | null;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.code = `vendor_${init.kind}`;
    this.vendor = init.vendor;
    this.kind = init.kind;
    this.httpStatus = init.httpStatus ?? null;
    this.vendorMessages = init.vendorMessages ?? [];
    this.requestSent = init.requestSent ?? false;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /** What a Slack user is shown: the vendor's words when there are any, else our message. */
  get userText(): string {
    return this.vendorMessages.length > 0 ? this.vendorMessages.join('\n') : this.message;
  }
}

export const isVendorError = (e: unknown): e is VendorError => e instanceof VendorError;

/** Turn anything thrown into an Error without leaking non-Error payloads into logs. */
export function coerceError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : 'Non-error value thrown');
}
