/**
 * Rows from either client, parsed once with zod into domain objects. Both dialects store times as
 * epoch milliseconds and JSON as text; pg hands BIGINT back as a string, node:sqlite as a number.
 */
import { z } from 'zod';
import type { AccessRequest, Approval, AuditEvent, Json } from '../domain/request.ts';
import { DECISIONS, REQUEST_STATUSES, VENDOR_IDS } from '../domain/request.ts';
import type { SqlRow } from './sql-driver.ts';
import type { Job } from './store.ts';
import { JOB_STATES } from './store.ts';

export const integer = z
  .union([
    z.number(),
    z.bigint().transform(Number),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ])
  .pipe(z.number().int());

const time = integer.transform((ms) => new Date(ms));

/**
 * JSON text from the database. JSON.parse yields nothing but JSON values, so what it returns needs
 * no second walk with z.json() (which cost more than the parse itself on every request read).
 */
const jsonText = z.string().transform((text, ctx): Json => {
  try {
    return JSON.parse(text) as Json;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'stored JSON does not parse' });
    return z.NEVER;
  }
});

const factsText = jsonText.pipe(
  z.custom<Record<string, Json>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'stored facts are not an object',
  ),
);
const status = z.enum(REQUEST_STATUSES);

export const REQUEST_COLUMNS =
  'id, vendor, requester_id, team_id, payload, payload_hash, status, version, created_at, updated_at, card_channel, card_ts, facts, card_render';

const requestRow = z.object({
  id: z.string(),
  vendor: z.enum(VENDOR_IDS),
  requester_id: z.string(),
  team_id: z.string(),
  payload: jsonText,
  payload_hash: z.string(),
  status,
  version: integer,
  created_at: time,
  updated_at: time,
  card_channel: z.string().nullable(),
  card_ts: z.string().nullable(),
  facts: factsText,
  card_render: z.string().nullable(),
});

/** A request plus its facts typed as the object they always are, for shallow merges. */
export interface StoredRequest extends AccessRequest {
  facts: Record<string, Json>;
}

export function toRequest(row: SqlRow): StoredRequest {
  const r = requestRow.parse(row);
  return {
    id: r.id,
    vendor: r.vendor,
    requesterId: r.requester_id,
    teamId: r.team_id,
    payload: r.payload,
    payloadHash: r.payload_hash,
    status: r.status,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    card: r.card_channel !== null && r.card_ts !== null ? { channel: r.card_channel, ts: r.card_ts } : null,
    facts: r.facts,
    ...(r.card_render !== null ? { cardRender: r.card_render } : {}),
  };
}

export const APPROVAL_COLUMNS = 'request_id, approver_id, decision, reason, payload_hash, decided_at';

const approvalRow = z.object({
  request_id: z.string(),
  approver_id: z.string(),
  decision: z.enum(DECISIONS),
  reason: z.string().nullable(),
  payload_hash: z.string(),
  decided_at: time,
});

export function toApproval(row: SqlRow): Approval {
  const r = approvalRow.parse(row);
  return {
    requestId: r.request_id,
    approverId: r.approver_id,
    decision: r.decision,
    reason: r.reason,
    payloadHash: r.payload_hash,
    decidedAt: r.decided_at,
  };
}

export const AUDIT_COLUMNS = 'id, request_id, actor, action, from_status, to_status, detail, at';

const auditRow = z.object({
  id: integer,
  request_id: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  from_status: status.nullable(),
  to_status: status.nullable(),
  detail: jsonText,
  at: time,
});

export function toAudit(row: SqlRow): AuditEvent {
  const r = auditRow.parse(row);
  return {
    id: r.id,
    requestId: r.request_id,
    actor: r.actor,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    detail: r.detail,
    at: r.at,
  };
}

export const JOB_COLUMNS =
  'id, kind, request_id, queue, payload, state, attempts, run_after, lease_owner, lease_expires_at, last_error, dedupe_key, created_at';

const jobRow = z.object({
  id: integer,
  kind: z.string(),
  request_id: z.string().nullable(),
  queue: z.string().nullable(),
  payload: jsonText,
  state: z.enum(JOB_STATES),
  attempts: integer,
  run_after: time,
  lease_owner: z.string().nullable(),
  lease_expires_at: time.nullable(),
  last_error: z.string().nullable(),
  dedupe_key: z.string().nullable(),
  created_at: time,
});

export function toJob(row: SqlRow): Job {
  const r = jobRow.parse(row);
  return {
    id: r.id,
    kind: r.kind,
    requestId: r.request_id,
    queue: r.queue,
    payload: r.payload,
    state: r.state,
    attempts: r.attempts,
    runAfter: r.run_after,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
  };
}

const actorRow = z.object({ actor: z.string() });
/** The actor of a `SELECT actor …` row. */
export const toActor = (row: SqlRow): string => actorRow.parse(row).actor;

const countRow = z.object({ n: integer });
/** The count of a `SELECT COUNT(…) AS n` row. */
export const toCount = (row: SqlRow): number => countRow.parse(row).n;

const sealedRow = z.object({ sealed: z.string() });
/** The sealed secret of a `… RETURNING sealed` row. */
export const toSealedValue = (row: SqlRow): string => sealedRow.parse(row).sealed;

const sealedKeyRow = z
  .object({ request_id: z.string(), purpose: z.enum(['reveal', 'passwords']), sealed: z.string() })
  .transform((r) => ({ requestId: r.request_id, purpose: r.purpose, sealed: r.sealed }));
/** A `SELECT request_id, purpose, sealed` row of user_secrets. */
export const toSealedRow = (row: SqlRow) => sealedKeyRow.parse(row);

const idRow = z.object({ id: z.string() });
/** The text id of a `SELECT id …` row. */
export const toTextId = (row: SqlRow): string => idRow.parse(row).id;
