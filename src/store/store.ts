/**
 * The durable store: requests, approvals, jobs, audit trail, Slack delivery ids and short-lived
 * secrets. Two implementations (SQLite via node:sqlite, PostgreSQL via pg) pass one contract suite
 * (test/contract/store.contract.ts). Nothing outside src/store/ knows which one is in use.
 *
 * Every method that changes a request does so with one conditional update, its audit event and
 * its jobs in one transaction: the loser of a race changes nothing and gets TransitionConflictError.
 */
import type {
  AccessRequest,
  Approval,
  AuditEvent,
  Decision,
  Json,
  RequestStatus,
  SlackRef,
  VendorId,
} from '../domain/request.ts';

export interface NewRequest {
  id: string;
  vendor: VendorId;
  requesterId: string;
  teamId: string;
  payload: Json;
  payloadHash: string;
  facts: Record<string, Json>;
  /** Typed initial passwords (JSON, user name → password), held sealed as the `passwords` secret. */
  heldPasswords?: { value: string; expiresAt: Date };
}

export interface AuditInput {
  /** Slack user id or 'system'. */
  actor: string;
  action: string;
  /** Free text or object without secrets. */
  detail?: Json;
}

export const JOB_STATES = ['queued', 'running', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface NewJob {
  /** Task name, e.g. 'provision', 'render-card', 'notify-requester', 'precheck'. */
  kind: string;
  requestId: string | null;
  /**
   * Jobs of one queue run one at a time, in (runAfter, id) order, across replicas
   * (graphile-worker's named queues); null runs in parallel with everything.
   */
  queue?: string | null;
  payload?: Json;
  /** Not before this time (default: now). */
  runAfter?: Date;
  /**
   * At most one queued job per key: enqueueing a second one while the first is still queued does
   * nothing (coalesces card re-renders). Running/done jobs do not block a new one.
   */
  dedupeKey?: string;
}

export interface Job {
  id: number;
  kind: string;
  requestId: string | null;
  queue: string | null;
  payload: Json;
  state: JobState;
  /** Attempts started so far, including the current one once claimed. */
  attempts: number;
  runAfter: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
}

/**
 * The queues of vendor jobs (pre-checks, provisioning) start with this; a worker gives them their
 * own slots (worker.ts), so a burst of vendor calls never waits behind chat jobs, nor they behind it.
 */
export const VENDOR_QUEUE_PREFIX = 'vendor:';

/** Which jobs one claim may take (a worker's lane); without it, any job. */
export interface ClaimFilter {
  /** `vendor`: jobs of `vendor:` queues only; `other`: every other job (no queue included); unset: any. */
  lane?: 'vendor' | 'other';
  /**
   * False: look for queued jobs only, not for running ones whose lease ran out (a dead worker's,
   * a rare find that costs a statement per claim). Default true.
   */
  reclaim?: boolean;
  /** Skip the jobs of these vendors' requests (each at its cap of parallel jobs in this worker). */
  skipVendors?: readonly VendorId[];
}

/** A claimed job, with what the claim saw around it (hints for the worker's wake-ups). */
export interface ClaimedJob extends Job {
  /** The vendor of the job's request; null for a job without one. */
  vendor: VendorId | null;
  /** Another job of its queue was queued: it waits for this one to finish. */
  queueHasMore: boolean;
  /** Another job that this claim's filter allows was due (not necessarily free to claim). */
  laneHasMore: boolean;
}

/** Jobs enqueued together with a saved card location (e.g. telling the requester where it is). */
export interface CardFollowUp {
  jobs: readonly NewJob[];
  at: Date;
}

export interface TransitionInput {
  id: string;
  /** The state the caller saw; the update applies only if the row still has both. */
  expected: { status: RequestStatus; version: number };
  /** New status (may equal expected.status for a fact-only change; version still increments). */
  to: RequestStatus;
  /** Shallow-merged into `facts`. */
  facts?: Record<string, Json>;
  audit: AuditInput;
  jobs?: NewJob[];
  at: Date;
}

export interface DecisionInput {
  requestId: string;
  approverId: string;
  decision: Decision;
  reason: string | null;
  /** The payload hash shown to the approver; must equal the request's current one. */
  payloadHash: string;
  /** Approvals (of the current payload hash, by distinct approvers) needed to reach APPROVED. */
  requiredApprovals: number;
  at: Date;
  /** Enqueued in the same transaction when this decision moves the request to APPROVED. */
  jobsIfApproved: NewJob[];
  /** Enqueued in the same transaction when this decision moves the request to DENIED. */
  jobsIfDenied: NewJob[];
  /** Enqueued in the same transaction whenever the decision is recorded. */
  jobs: NewJob[];
  /**
   * A PENDING request older than this (at `at`) has expired even if the sweep has not run yet: the
   * decision is refused with NotAllowedError.
   */
  expireAfterMs?: number;
}

/** What an edit writes, once the store knows (under the row lock) whose approvals it resets. */
export interface EditWrite {
  /** The request's facts, whole (they replace the stored ones). */
  facts: Record<string, Json>;
  audit: AuditInput;
  jobs: NewJob[];
}

export interface EditInput {
  id: string;
  /** The state the edit was validated against; the edit applies only if the row still has both. */
  expected: { status: 'PENDING'; version: number };
  payload: Json;
  payloadHash: string;
  /** Typed passwords for the edited payload (replacing the held ones); null drops any held ones. */
  heldPasswords: { value: string; expiresAt: Date } | null;
  /** Built from the approvers whose approvals of the earlier version the edit resets. */
  write(resetApprovers: readonly string[]): EditWrite;
  at: Date;
}

/** What a held secret is for (see Store.putSecret). */
export type SecretPurpose = 'reveal' | 'passwords';

export interface DecisionResult {
  request: AccessRequest;
  approvals: Approval[];
  /** True when this decision changed the status (to APPROVED or DENIED). */
  transitioned: boolean;
  /** True when a denial deleted the request's held passwords. */
  droppedSecrets: boolean;
}

export interface RequestQuery {
  requesterId?: string;
  vendor?: VendorId;
  statuses?: readonly RequestStatus[];
  /** Only requests created before this time (for expiry sweeps). */
  createdBefore?: Date;
  /** Oldest first instead of newest first (sweeps: the longest-waiting requests come first). */
  oldestFirst?: boolean;
  /** With oldestFirst: only requests after this one in that order (keyset paging). */
  after?: { createdAt: Date; id: string };
  /** Default 50. */
  limit?: number;
}

export interface RequestCount {
  vendor: VendorId;
  status: RequestStatus;
  count: number;
}

export interface JobQueueStat {
  kind: string;
  /** Queued jobs of this kind, due or not. */
  depth: number;
  /** How long the oldest due job has waited past its run time; 0 when none is due. */
  oldestAgeMs: number;
}

export interface Store {
  /** Create or upgrade the schema. Safe to run twice and from several processes at once. */
  migrate(): Promise<void>;
  /** Release connections. */
  close(): Promise<void>;

  /** Ids of migrations this code knows that the database has not applied (readiness). */
  pendingMigrations(): Promise<string[]>;
  /** Requests per vendor and status (read on a metrics scrape). */
  countRequests(): Promise<RequestCount[]>;
  /** The job queue per kind (read on a metrics scrape). */
  jobQueueStats(now: Date): Promise<JobQueueStat[]>;

  /** Insert a PENDING request (version 1) with its audit event and jobs. */
  createRequest(
    req: NewRequest,
    audit: AuditInput,
    jobs: readonly NewJob[],
    at: Date,
  ): Promise<AccessRequest>;
  /** @throws RequestNotFoundError */
  getRequest(id: string): Promise<AccessRequest>;
  listRequests(query: RequestQuery): Promise<AccessRequest[]>;
  listApprovals(requestId: string): Promise<Approval[]>;
  listAudit(requestId: string): Promise<AuditEvent[]>;
  /** Audit events across requests, oldest first, for export. */
  exportAudit(since: Date, until: Date): Promise<AuditEvent[]>;
  /** An audit event not tied to a transition (e.g. a token reveal). */
  appendAudit(requestId: string | null, audit: AuditInput, at: Date): Promise<void>;

  /**
   * Conditional update + audit + jobs in one transaction.
   * @throws TransitionConflictError with the current status/version and the last actor
   * @throws RequestNotFoundError
   */
  transition(input: TransitionInput): Promise<AccessRequest>;

  /**
   * Record one approver's decision atomically: refuses (TransitionConflictError) unless the request
   * is PENDING with the same payload hash; a second decision by the same approver throws
   * NotAllowedError('You already …'). Deny moves to DENIED at once; approve moves to APPROVED when
   * the distinct approvals reach `requiredApprovals`.
   */
  recordDecision(input: DecisionInput): Promise<DecisionResult>;

  /**
   * The requester's edit of a PENDING request, in one transaction: payload, hash and facts replaced
   * (only if the row is still `expected`), every approval of the earlier version deleted (the audit
   * keeps them; approvals bind to the hash), the held passwords replaced or dropped, audit and jobs.
   * @throws TransitionConflictError, RequestNotFoundError
   */
  editRequest(input: EditInput): Promise<{ request: AccessRequest; resetApprovers: string[] }>;

  /**
   * Remember where the approval card lives (no version change: it is not a life-cycle step), only if
   * the stored card is still `expected` (null: none yet). False when another worker got there first.
   * `then.jobs` are enqueued in the same transaction, only when the card was saved. `render`: the
   * hash of what was posted (AccessRequest.cardRender), kept with the card.
   * @throws RequestNotFoundError
   */
  setCard(
    id: string,
    card: SlackRef,
    expected: SlackRef | null,
    then?: CardFollowUp,
    render?: string,
  ): Promise<boolean>;
  /** The hash of the render just sent to `card`, if it is still the request's card. */
  setCardRender(id: string, card: SlackRef, render: string): Promise<void>;

  enqueue(job: NewJob, at: Date): Promise<void>;
  /**
   * Claim the oldest due job (queued with runAfter ≤ now, or running under an expired lease) whose
   * queue has no job under a live lease and no due job sorting before it, setting owner, lease
   * expiry and attempts+1. Each job goes to exactly one claimer (FOR UPDATE SKIP LOCKED on
   * PostgreSQL); jobs of one queue run one after another, in (runAfter, id) order, across replicas.
   * `filter` narrows the candidates; a queue is wholly inside or outside a lane, so order holds.
   */
  claimJob(owner: string, leaseMs: number, now: Date, filter?: ClaimFilter): Promise<ClaimedJob | null>;
  /** Extend a running job's lease to now + leaseMs; false when `owner` no longer holds it. */
  renewLease(jobId: number, owner: string, leaseMs: number, now: Date): Promise<boolean>;
  /** Mark done; ignored unless `owner` still holds the lease. Returns whether it did. */
  completeJob(jobId: number, owner: string, now: Date): Promise<boolean>;
  /**
   * Record a failed attempt. With `retryAt` the job is queued again for then; with null it is
   * dead (kept for inspection). Ignored unless `owner` still holds the lease.
   */
  failJob(jobId: number, owner: string, error: string, retryAt: Date | null, now: Date): Promise<boolean>;
  /**
   * Give a running job back (a stopping worker): queued and due now, the interrupted attempt not
   * counted. Ignored unless `owner` still holds the lease.
   */
  releaseJob(jobId: number, owner: string, now: Date): Promise<boolean>;
  /** Delete done and dead jobs last changed before `before`; returns how many. Audit is untouched. */
  pruneJobs(before: Date): Promise<number>;
  /**
   * Call `onEnqueued` whenever any replica enqueues a job (PostgreSQL LISTEN/NOTIFY); on SQLite
   * nothing is called (one process: the in-process wake covers it). Resolves once listening;
   * the returned function stops it.
   */
  watchJobs(onEnqueued: () => void): Promise<() => Promise<void>>;
  getJob(jobId: number): Promise<Job | null>;
  listJobs(requestId: string): Promise<Job[]>;

  /**
   * Remember an inbound Slack delivery id. True the first time, false for a duplicate (still
   * remembered until `expiresAt`).
   */
  markDelivery(deliveryId: string, expiresAt: Date, now: Date): Promise<boolean>;
  /**
   * `markDelivery` for many ids in one write (group commit). Per position: true when that delivery
   * is the first (an id repeated in the batch is first only at its first position).
   */
  markDeliveries(deliveryIds: readonly string[], expiresAt: Date, now: Date): Promise<boolean[]>;
  /** Forget delivery ids whose expiry has passed; returns how many. */
  pruneDeliveries(now: Date): Promise<number>;

  /**
   * Keep a secret for one Slack user, sealed (AES-256-GCM): `reveal` for them to see once (a new
   * AUTHTOKEN, generated passwords), `passwords` for the create call. A second put replaces the first.
   */
  putSecret(
    requestId: string,
    ownerId: string,
    value: string,
    expiresAt: Date,
    purpose?: SecretPurpose,
  ): Promise<void>;
  /** The unexpired secret of that purpose, left in place; null when there is none. */
  readSecret(requestId: string, purpose: SecretPurpose, now: Date): Promise<string | null>;
  /**
   * Phase one of a reveal: the reveal secret, held until `holdUntil` so a second click waits, if it
   * belongs to ownerId, has not expired and no other click holds it; else null.
   */
  claimSecret(requestId: string, ownerId: string, now: Date, holdUntil: Date): Promise<string | null>;
  /** Undo a claim (the modal did not open): the next click may reveal it. */
  releaseSecret(requestId: string): Promise<void>;
  /** Delete the secret of that purpose, leaving nothing in the database files; true if one was there. */
  deleteSecret(requestId: string, purpose: SecretPurpose): Promise<boolean>;
  /** Whether an unexpired reveal secret waits for this request. */
  hasSecret(requestId: string, now: Date): Promise<boolean>;
  /** Delete expired secrets; returns how many. */
  purgeSecrets(now: Date): Promise<number>;
}
