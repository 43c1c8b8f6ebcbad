/** Shared plumbing of the fake's Web API methods: result shape, argument parsing, limit rejection. */
import type { z } from 'zod';
import type { FakeSlackState } from './fake-slack-state.ts';
import type { LimitIssue } from './slack-limits.ts';

/** Slack's envelope: HTTP 200 with `ok` and either the method's fields or `error`. */
export type MethodResult = { ok: boolean; error?: string } & Record<string, unknown>;

export interface MethodContext {
  state: FakeSlackState;
  method: string;
  /** Socket Mode URL with a fresh one-use ticket (apps.connections.open). */
  socketUrl: () => string;
}

export type MethodHandler = (ctx: MethodContext, args: Record<string, unknown>) => MethodResult;

export const fail = (error: string): MethodResult => ({ ok: false, error });

/**
 * Validates a method's arguments. A malformed `blocks`/`view` is Slack's invalid_blocks /
 * invalid_arguments; it is also recorded as a violation, because the bot sent something Slack
 * would refuse.
 */
export function parseArgs<T>(
  ctx: MethodContext,
  schema: z.ZodType<T>,
  args: Record<string, unknown>,
): { ok: true; value: T } | { ok: false; result: MethodResult } {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const error = path.startsWith('blocks')
    ? 'invalid_blocks'
    : path === 'channel'
      ? 'channel_not_found'
      : 'invalid_arguments';
  reject(ctx, [{ error, rule: `malformed argument: ${issue?.message ?? 'invalid'}`, path }]);
  return { ok: false, result: fail(error) };
}

/** Records every broken limit and returns the first one's error, or undefined when all hold. */
export function reject(ctx: MethodContext, issues: readonly LimitIssue[]): MethodResult | undefined {
  if (issues.length === 0) return undefined;
  ctx.state.recordViolations(ctx.method, issues);
  return fail(issues[0]?.error ?? 'invalid_arguments');
}
