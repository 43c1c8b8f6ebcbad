/**
 * The vendor-neutral half of users' initial passwords (issue 8 §3): how a stored payload records the
 * handling, and the line the approver reads about it. Each vendor's `UserPasswords` (split, users,
 * join) knows only where its wire format keeps the password.
 */
import type { Json } from '../domain/request.ts';
import type { PayloadLine } from './provisioner.ts';

/** How the users' initial passwords are handled, recorded in the payload the approver sees. */
export const PASSWORD_HANDLING = ['generated', 'typed'] as const;
export type PasswordHandling = (typeof PASSWORD_HANDLING)[number];

/** The setting (`generate|typed`) → what the stored payload records. */
export const handlingOf = (mode: 'generate' | 'typed'): PasswordHandling =>
  mode === 'typed' ? 'typed' : 'generated';

/** Drop undefined members so the result is plain JSON, as the store keeps it. */
export const plainJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

/** What the approver is told about an initial password: a generated one is typed by nobody. */
export const passwordLine = (label: string, handling: PasswordHandling | undefined): PayloadLine =>
  handling === 'generated'
    ? { label, value: 'generated, sent to the requester privately' }
    : { label, value: '', secret: true };
