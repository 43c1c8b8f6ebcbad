/**
 * One approver's decision, atomically: the request row is locked (PostgreSQL FOR UPDATE; SQLite's
 * BEGIN IMMEDIATE holds the whole database) before the approval is counted, so two concurrent
 * approvals of a 2-of-N request cannot both see one approval and leave it PENDING.
 */
import type { AccessRequest, RequestStatus } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { SqlDriver, SqlExecutor } from './sql-driver.ts';
import { insertJobs } from './sql-jobs.ts';
import { conflict, insertAudit, readApprovals, readRequest } from './sql-request-rows.ts';
import { APPROVAL_COLUMNS, REQUEST_COLUMNS, toCount, toRequest } from './sql-rows.ts';
import { deleteSecret } from './sql-secrets.ts';
import type { DecisionInput, DecisionResult } from './store.ts';

/**
 * Only a decision that changes the status bumps the version; one that is merely recorded
 * (approval_recorded) leaves the status and version as they were.
 */
export function recordDecision(db: SqlDriver, input: DecisionInput): Promise<DecisionResult> {
  return db.transaction(async (tx) => {
    const current = await readRequest(tx, input.requestId, db.dialect.forUpdate);
    if (current.status !== 'PENDING' || current.payloadHash !== input.payloadHash) {
      throw await conflict(tx, current, current.status === 'PENDING');
    }
    if (
      input.expireAfterMs !== undefined &&
      input.at.getTime() - current.createdAt.getTime() >= input.expireAfterMs
    ) {
      const hours = Math.round(input.expireAfterMs / 3_600_000);
      throw new NotAllowedError(
        `This request has expired: it waited more than ${hours} h for a decision. Nothing was changed; the requester can submit it again.`,
      );
    }
    const inserted = await tx.execute(
      `INSERT INTO approvals (${APPROVAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (request_id, approver_id) DO NOTHING`,
      [
        input.requestId,
        input.approverId,
        input.decision,
        input.reason,
        input.payloadHash,
        input.at.getTime(),
      ],
    );
    if (inserted === 0) {
      const earlier = (await readApprovals(tx, input.requestId)).find(
        (a) => a.approverId === input.approverId,
      );
      throw new NotAllowedError(
        `You already ${earlier?.decision === 'deny' ? 'denied' : 'approved'} this request`,
      );
    }
    const to = await outcome(tx, input);
    const actor = {
      actor: input.approverId,
      detail: input.reason === null ? null : { reason: input.reason },
    };
    let request: AccessRequest = current;
    if (to === null) {
      await insertAudit(tx, input.requestId, { ...actor, action: 'approval_recorded' }, null, null, input.at);
    } else {
      const [row] = await tx.query(
        `UPDATE requests SET status = $3, version = version + 1, updated_at = $4
         WHERE id = $1 AND version = $2 RETURNING ${REQUEST_COLUMNS}`,
        [input.requestId, current.version, to, input.at.getTime()],
      );
      // Unreachable while the row lock holds; kept so a lost race can never pass as a win.
      if (!row) throw await conflict(tx, await readRequest(tx, input.requestId, ''));
      request = toRequest(row);
      const action = to === 'APPROVED' ? 'approved' : 'denied';
      await insertAudit(tx, input.requestId, { ...actor, action }, 'PENDING', to, input.at);
      await insertJobs(
        tx,
        to === 'APPROVED' ? input.jobsIfApproved : input.jobsIfDenied,
        input.at,
        db.dialect.notifyJobs,
      );
    }
    await insertJobs(tx, input.jobs, input.at, db.dialect.notifyJobs);
    // A denial is final: the passwords typed for the create call go with it.
    const droppedSecrets = to === 'DENIED' && (await deleteSecret(tx, input.requestId, 'passwords')) > 0;
    return {
      request,
      approvals: await readApprovals(tx, input.requestId),
      transitioned: to !== null,
      droppedSecrets,
    };
  });
}

/** The status this (already inserted) decision moves the request to, or null when it stays PENDING. */
async function outcome(tx: SqlExecutor, input: DecisionInput): Promise<RequestStatus | null> {
  if (input.decision === 'deny') return 'DENIED';
  const [row] = await tx.query(
    `SELECT COUNT(DISTINCT approver_id) AS n FROM approvals
     WHERE request_id = $1 AND decision = 'approve' AND payload_hash = $2`,
    [input.requestId, input.payloadHash],
  );
  return row && toCount(row) >= input.requiredApprovals ? 'APPROVED' : null;
}
