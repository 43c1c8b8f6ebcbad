/**
 * The requester's edit, atomically: the row is locked like a decision's (PostgreSQL FOR UPDATE;
 * SQLite's BEGIN IMMEDIATE), so an approval either lands before the edit (and is reset by it) or
 * after it (and is refused: the hash it saw is gone). Never an approval of the old payload counted
 * for the new one.
 */
import type { AccessRequest } from '../domain/request.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SqlDriver } from './sql-driver.ts';
import { insertJobs } from './sql-jobs.ts';
import { conflict, insertAudit, readApprovals, readRequest } from './sql-request-rows.ts';
import { REQUEST_COLUMNS, toRequest } from './sql-rows.ts';
import { deleteSecret, putSecret } from './sql-secrets.ts';
import type { EditInput } from './store.ts';

export function editRequest(
  db: SqlDriver,
  box: SecretBox,
  input: EditInput,
): Promise<{ request: AccessRequest; resetApprovers: string[]; scrub: boolean }> {
  return db.transaction(async (tx) => {
    const current = await readRequest(tx, input.id, db.dialect.forUpdate);
    if (current.status !== input.expected.status || current.version !== input.expected.version) {
      throw await conflict(tx, current);
    }
    const resetApprovers = (await readApprovals(tx, input.id))
      .filter((a) => a.decision === 'approve')
      .map((a) => a.approverId);
    const write = input.write(resetApprovers);
    const [row] = await tx.query(
      `UPDATE requests SET payload = $4, payload_hash = $5, facts = $6, version = version + 1, updated_at = $7
       WHERE id = $1 AND status = $2 AND version = $3 RETURNING ${REQUEST_COLUMNS}`,
      [
        input.id,
        input.expected.status,
        input.expected.version,
        JSON.stringify(input.payload),
        input.payloadHash,
        JSON.stringify(write.facts),
        input.at.getTime(),
      ],
    );
    // Unreachable while the row lock holds; kept so a lost race can never pass as a win.
    if (!row) throw await conflict(tx, await readRequest(tx, input.id, ''));
    await tx.execute('DELETE FROM approvals WHERE request_id = $1', [input.id]);
    // The earlier version's passwords go: replaced by the edit's, or dropped when it has none.
    let scrub = true;
    if (input.heldPasswords) {
      await putSecret(tx, box, {
        requestId: input.id,
        purpose: 'passwords',
        ownerId: current.requesterId,
        ...input.heldPasswords,
      });
    } else scrub = (await deleteSecret(tx, input.id, 'passwords')) > 0;
    await insertAudit(tx, input.id, write.audit, 'PENDING', 'PENDING', input.at);
    await insertJobs(tx, write.jobs, input.at, db.dialect.notifyJobs);
    return { request: toRequest(row), resetApprovers, scrub };
  });
}
