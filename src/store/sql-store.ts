/**
 * The Store, written once against the SqlDriver seam (kysely's habit): no line here knows whether
 * SQLite or PostgreSQL answers. Every change to a request is one conditional UPDATE, its audit
 * event and its jobs in one transaction; the loser of a race changes nothing and is told who won.
 */
import {
  type AccessRequest,
  type Approval,
  type AuditEvent,
  FINAL_STATUSES,
  type SlackRef,
} from '../domain/request.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { recordDecision } from './sql-decisions.ts';
import type { SqlDriver, SqlParam } from './sql-driver.ts';
import { editRequest } from './sql-edit.ts';
import * as jobs from './sql-jobs.ts';
import { listAppliedMigrations, runMigrations } from './sql-migrate.ts';
import { conflict, insertAudit, readApprovals, readRequest, required } from './sql-request-rows.ts';
import { AUDIT_COLUMNS, REQUEST_COLUMNS, toAudit, toRequest } from './sql-rows.ts';
import * as secrets from './sql-secrets.ts';
import * as shortLived from './sql-short-lived.ts';
import { countRequests, jobQueueStats } from './sql-stats.ts';
import type {
  AuditInput,
  CardFollowUp,
  ClaimedJob,
  ClaimFilter,
  DecisionInput,
  DecisionResult,
  EditInput,
  Job,
  JobQueueStat,
  NewJob,
  NewRequest,
  RequestCount,
  RequestQuery,
  SecretPurpose,
  Store,
  TransitionInput,
} from './store.ts';

export class SqlStore implements Store {
  readonly #db: SqlDriver;
  readonly #box: SecretBox;

  constructor(driver: SqlDriver, box: SecretBox) {
    this.#db = driver;
    this.#box = box;
  }

  async migrate(): Promise<void> {
    await runMigrations(this.#db);
    if ((await secrets.sealPlainSecrets(this.#db, this.#box)) > 0) await this.#scrub();
  }

  /** After a secret is deleted: no copy stays in the database files (SQLite: a WAL checkpoint). */
  async #scrub(): Promise<void> {
    if (this.#db.dialect.afterSecretDelete) await this.#db.query(this.#db.dialect.afterSecretDelete);
  }

  async pendingMigrations(): Promise<string[]> {
    const applied = new Set(await listAppliedMigrations(this.#db));
    return this.#db.dialect.migrations.map((m) => m.id).filter((id) => !applied.has(id));
  }

  countRequests(): Promise<RequestCount[]> {
    return countRequests(this.#db);
  }

  jobQueueStats(now: Date): Promise<JobQueueStat[]> {
    return jobQueueStats(this.#db, now);
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  createRequest(
    req: NewRequest,
    audit: AuditInput,
    newJobs: readonly NewJob[],
    at: Date,
  ): Promise<AccessRequest> {
    return this.#db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO requests (${REQUEST_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', 1, $7, $7, NULL, NULL, $8, NULL)
         RETURNING ${REQUEST_COLUMNS}`,
        [
          req.id,
          req.vendor,
          req.requesterId,
          req.teamId,
          JSON.stringify(req.payload),
          req.payloadHash,
          at.getTime(),
          JSON.stringify(req.facts),
        ],
      );
      if (req.heldPasswords) {
        await secrets.putSecret(tx, this.#box, {
          requestId: req.id,
          purpose: 'passwords',
          ownerId: req.requesterId,
          ...req.heldPasswords,
        });
      }
      await insertAudit(tx, req.id, audit, null, 'PENDING', at);
      await jobs.insertJobs(tx, newJobs, at, this.#db.dialect.notifyJobs);
      return toRequest(required(row, req.id));
    });
  }

  async getRequest(id: string): Promise<AccessRequest> {
    return readRequest(this.#db, id, '');
  }

  async listRequests(query: RequestQuery): Promise<AccessRequest[]> {
    const where: string[] = [];
    const params: SqlParam[] = [];
    const bind = (value: SqlParam) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.requesterId !== undefined) where.push(`requester_id = ${bind(query.requesterId)}`);
    if (query.vendor !== undefined) where.push(`vendor = ${bind(query.vendor)}`);
    if (query.statuses !== undefined) {
      if (query.statuses.length === 0) return [];
      where.push(`status IN (${query.statuses.map(bind).join(', ')})`);
    }
    if (query.createdBefore !== undefined) where.push(`created_at < ${bind(query.createdBefore.getTime())}`);
    if (query.after !== undefined) {
      const t = bind(query.after.createdAt.getTime());
      where.push(`(created_at > ${t} OR (created_at = ${t} AND id > ${bind(query.after.id)}))`);
    }
    const limit = bind(Math.max(0, Math.trunc(query.limit ?? 50)));
    const order = query.oldestFirst ? 'created_at ASC, id ASC' : 'created_at DESC, id DESC';
    const rows = await this.#db.query(
      `SELECT ${REQUEST_COLUMNS} FROM requests
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${order} LIMIT ${limit}`,
      params,
    );
    return rows.map(toRequest);
  }

  listApprovals(requestId: string): Promise<Approval[]> {
    return readApprovals(this.#db, requestId);
  }

  async listAudit(requestId: string): Promise<AuditEvent[]> {
    const rows = await this.#db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit WHERE request_id = $1 ORDER BY id`,
      [requestId],
    );
    return rows.map(toAudit);
  }

  /** Events with since ≤ at < until, oldest first. */
  async exportAudit(since: Date, until: Date): Promise<AuditEvent[]> {
    const rows = await this.#db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit WHERE at >= $1 AND at < $2 ORDER BY at, id`,
      [since.getTime(), until.getTime()],
    );
    return rows.map(toAudit);
  }

  async appendAudit(requestId: string | null, audit: AuditInput, at: Date): Promise<void> {
    await insertAudit(this.#db, requestId, audit, null, null, at);
  }

  transition(input: TransitionInput): Promise<AccessRequest> {
    return this.#db
      .transaction(async (tx) => {
        const current = await readRequest(tx, input.id, '');
        if (current.status !== input.expected.status || current.version !== input.expected.version) {
          throw await conflict(tx, current);
        }
        // The version check below guarantees these facts are the ones being replaced.
        const facts = { ...current.facts, ...input.facts };
        const [row] = await tx.query(
          `UPDATE requests SET status = $4, version = version + 1, updated_at = $5, facts = $6
         WHERE id = $1 AND status = $2 AND version = $3
         RETURNING ${REQUEST_COLUMNS}`,
          [
            input.id,
            input.expected.status,
            input.expected.version,
            input.to,
            input.at.getTime(),
            JSON.stringify(facts),
          ],
        );
        if (!row) throw await conflict(tx, await readRequest(tx, input.id, ''));
        await insertAudit(tx, input.id, input.audit, input.expected.status, input.to, input.at);
        await jobs.insertJobs(tx, input.jobs ?? [], input.at, this.#db.dialect.notifyJobs);
        const dropped =
          FINAL_STATUSES.includes(input.to) && (await secrets.deleteSecret(tx, input.id, 'passwords')) > 0;
        return { request: toRequest(row), dropped };
      })
      .then(async ({ request, dropped }) => {
        if (dropped) await this.#scrub();
        return request;
      });
  }

  async recordDecision(input: DecisionInput): Promise<DecisionResult> {
    const result = await recordDecision(this.#db, input);
    if (result.droppedSecrets) await this.#scrub();
    return result;
  }

  async editRequest(input: EditInput): Promise<{ request: AccessRequest; resetApprovers: string[] }> {
    const { request, resetApprovers, scrub } = await editRequest(this.#db, this.#box, input);
    if (scrub) await this.#scrub();
    return { request, resetApprovers };
  }

  setCard(
    id: string,
    card: SlackRef,
    expected: SlackRef | null,
    then?: CardFollowUp,
    render?: string,
  ): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const set = 'card_channel = $2, card_ts = $3, card_render = $4';
      const changed = await tx.execute(
        expected
          ? `UPDATE requests SET ${set} WHERE id = $1 AND card_channel = $5 AND card_ts = $6`
          : `UPDATE requests SET ${set} WHERE id = $1 AND card_ts IS NULL`,
        [id, card.channel, card.ts, render ?? null, ...(expected ? [expected.channel, expected.ts] : [])],
      );
      if (changed === 0) {
        await readRequest(tx, id, '');
        return false;
      }
      if (then) await jobs.insertJobs(tx, then.jobs, then.at, this.#db.dialect.notifyJobs);
      return true;
    });
  }

  async setCardRender(id: string, card: SlackRef, render: string): Promise<void> {
    await this.#db.execute(
      'UPDATE requests SET card_render = $2 WHERE id = $1 AND card_channel = $3 AND card_ts = $4',
      [id, render, card.channel, card.ts],
    );
  }

  async enqueue(job: NewJob, at: Date): Promise<void> {
    await jobs.insertJob(this.#db, job, at, this.#db.dialect.notifyJobs);
  }

  claimJob(owner: string, leaseMs: number, now: Date, filter?: ClaimFilter): Promise<ClaimedJob | null> {
    return jobs.claimJob(this.#db, owner, leaseMs, now, filter);
  }

  renewLease(jobId: number, owner: string, leaseMs: number, now: Date): Promise<boolean> {
    return jobs.renewLease(this.#db, jobId, owner, leaseMs, now);
  }

  completeJob(jobId: number, owner: string, now: Date): Promise<boolean> {
    return jobs.completeJob(this.#db, jobId, owner, now);
  }

  failJob(jobId: number, owner: string, error: string, retryAt: Date | null, now: Date): Promise<boolean> {
    return jobs.failJob(this.#db, jobId, owner, error, retryAt, now);
  }

  releaseJob(jobId: number, owner: string, now: Date): Promise<boolean> {
    return jobs.releaseJob(this.#db, jobId, owner, now);
  }

  pruneJobs(before: Date): Promise<number> {
    return jobs.pruneJobs(this.#db, before);
  }

  watchJobs(onEnqueued: () => void): Promise<() => Promise<void>> {
    return this.#db.watchJobs(onEnqueued);
  }

  getJob(jobId: number): Promise<Job | null> {
    return jobs.getJob(this.#db, jobId);
  }

  listJobs(requestId: string): Promise<Job[]> {
    return jobs.listJobs(this.#db, requestId);
  }

  async markDelivery(deliveryId: string, expiresAt: Date, now: Date): Promise<boolean> {
    const [first] = await this.markDeliveries([deliveryId], expiresAt, now);
    return first === true;
  }

  markDeliveries(deliveryIds: readonly string[], expiresAt: Date, now: Date): Promise<boolean[]> {
    return shortLived.markDeliveries(this.#db, deliveryIds, expiresAt, now);
  }

  pruneDeliveries(now: Date): Promise<number> {
    return shortLived.pruneDeliveries(this.#db, now);
  }

  putSecret(
    requestId: string,
    ownerId: string,
    value: string,
    expiresAt: Date,
    purpose: SecretPurpose = 'reveal',
  ): Promise<void> {
    return secrets.putSecret(this.#db, this.#box, { requestId, purpose, ownerId, value, expiresAt });
  }

  readSecret(requestId: string, purpose: SecretPurpose, now: Date): Promise<string | null> {
    return secrets.readSecret(this.#db, this.#box, requestId, purpose, now);
  }

  claimSecret(requestId: string, ownerId: string, now: Date, holdUntil: Date): Promise<string | null> {
    return secrets.claimSecret(this.#db, this.#box, requestId, ownerId, now, holdUntil);
  }

  releaseSecret(requestId: string): Promise<void> {
    return secrets.releaseSecret(this.#db, requestId);
  }

  async deleteSecret(requestId: string, purpose: SecretPurpose): Promise<boolean> {
    const deleted = await secrets.deleteSecret(this.#db, requestId, purpose);
    if (deleted > 0) await this.#scrub();
    return deleted > 0;
  }

  hasSecret(requestId: string, now: Date): Promise<boolean> {
    return secrets.hasSecret(this.#db, requestId, now);
  }

  async purgeSecrets(now: Date): Promise<number> {
    const purged = await secrets.purgeSecrets(this.#db, now);
    if (purged > 0) await this.#scrub();
    return purged;
  }
}
