/**
 * Reads and writes about one request shared by the store's transactions: the row, its approvals,
 * its audit trail, and the conflict error a lost race turns into.
 */
import type { AccessRequest, Approval, RequestStatus } from '../domain/request.ts';
import { RequestNotFoundError, TransitionConflictError } from '../errors.ts';
import type { SqlExecutor } from './sql-driver.ts';
import {
  APPROVAL_COLUMNS,
  REQUEST_COLUMNS,
  type StoredRequest,
  toActor,
  toApproval,
  toRequest,
} from './sql-rows.ts';
import type { AuditInput } from './store.ts';

export function required<T>(row: T | undefined, requestId: string): T {
  if (row === undefined) throw new RequestNotFoundError(requestId);
  return row;
}

/** The request row; `lock` is the dialect's FOR UPDATE suffix or ''. @throws RequestNotFoundError */
export async function readRequest(db: SqlExecutor, id: string, lock: string): Promise<StoredRequest> {
  const [row] = await db.query(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE id = $1${lock}`, [id]);
  return toRequest(required(row, id));
}

export async function readApprovals(db: SqlExecutor, requestId: string): Promise<Approval[]> {
  const rows = await db.query(
    `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE request_id = $1 ORDER BY decided_at, approver_id`,
    [requestId],
  );
  return rows.map(toApproval);
}

/**
 * The error for a lost race: the request as it is now, and whoever made its last life-cycle change
 * (audit rows with a to_status; plain appended events such as token reveals are not changes).
 */
export async function conflict(
  db: SqlExecutor,
  current: AccessRequest,
  edited = false,
): Promise<TransitionConflictError> {
  const [row] = await db.query(
    'SELECT actor FROM audit WHERE request_id = $1 AND to_status IS NOT NULL ORDER BY id DESC LIMIT 1',
    [current.id],
  );
  return new TransitionConflictError(
    { status: current.status, version: current.version },
    row ? toActor(row) : null,
    edited,
  );
}

export async function insertAudit(
  db: SqlExecutor,
  requestId: string | null,
  audit: AuditInput,
  from: RequestStatus | null,
  to: RequestStatus | null,
  at: Date,
): Promise<void> {
  await db.execute(
    `INSERT INTO audit (request_id, actor, action, from_status, to_status, detail, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [requestId, audit.actor, audit.action, from, to, JSON.stringify(audit.detail ?? null), at.getTime()],
  );
}
