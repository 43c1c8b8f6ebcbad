/**
 * SQLite schema, as TypeScript constants so the compiled dist needs no .sql files. Numbered like
 * postgres-migrations.ts; the two must describe the same tables. Times are epoch milliseconds,
 * JSON is TEXT.
 */
import type { Migration } from '../sql-driver.ts';

const init: Migration = {
  id: '0001_init',
  statements: [
    `CREATE TABLE requests (
      id TEXT PRIMARY KEY,
      vendor TEXT NOT NULL,
      requester_id TEXT NOT NULL,
      team_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      payload_hash TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      card_channel TEXT,
      card_ts TEXT,
      facts TEXT NOT NULL
    ) STRICT`,
    'CREATE INDEX requests_requester_idx ON requests (requester_id, created_at)',
    'CREATE INDEX requests_status_idx ON requests (status, created_at)',
    'CREATE INDEX requests_created_idx ON requests (created_at)',
    `CREATE TABLE approvals (
      request_id TEXT NOT NULL REFERENCES requests (id),
      approver_id TEXT NOT NULL,
      decision TEXT NOT NULL CHECK (decision IN ('approve', 'deny')),
      reason TEXT,
      payload_hash TEXT NOT NULL,
      decided_at INTEGER NOT NULL,
      UNIQUE (request_id, approver_id)
    ) STRICT`,
    // AUTOINCREMENT: a job id is never reused, so a stale worker cannot touch a newer job.
    `CREATE TABLE jobs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      request_id TEXT REFERENCES requests (id),
      payload TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
      attempts INTEGER NOT NULL DEFAULT 0,
      run_after INTEGER NOT NULL,
      lease_owner TEXT,
      lease_expires_at INTEGER,
      last_error TEXT,
      dedupe_key TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    'CREATE INDEX jobs_claim_idx ON jobs (state, run_after)',
    'CREATE INDEX jobs_lease_idx ON jobs (state, lease_expires_at)',
    'CREATE INDEX jobs_request_idx ON jobs (request_id)',
    "CREATE UNIQUE INDEX jobs_dedupe_queued_idx ON jobs (dedupe_key) WHERE state = 'queued'",
    `CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id TEXT REFERENCES requests (id),
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      from_status TEXT,
      to_status TEXT,
      detail TEXT NOT NULL,
      at INTEGER NOT NULL
    ) STRICT`,
    'CREATE INDEX audit_request_idx ON audit (request_id, id)',
    'CREATE INDEX audit_at_idx ON audit (at, id)',
    `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END`,
    `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END`,
    'CREATE TABLE slack_deliveries (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) STRICT',
    'CREATE INDEX slack_deliveries_expiry_idx ON slack_deliveries (expires_at)',
    `CREATE TABLE secrets (
      request_id TEXT PRIMARY KEY REFERENCES requests (id),
      owner_id TEXT NOT NULL,
      value TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    ) STRICT`,
    'CREATE INDEX secrets_expiry_idx ON secrets (expires_at)',
  ],
};

/**
 * Secrets sealed with AES-256-GCM (secret-box.ts), several per request (a reveal and the users'
 * initial passwords). Rows of the old plain-text table are moved across marked `plain:`; the store
 * seals them as it opens (SqlStore.migrate), because SQL alone has no key.
 */
const sealedSecrets: Migration = {
  id: '0002_sealed_secrets',
  statements: [
    `CREATE TABLE user_secrets (
      request_id TEXT NOT NULL REFERENCES requests (id),
      purpose TEXT NOT NULL CHECK (purpose IN ('reveal', 'passwords')),
      owner_id TEXT NOT NULL,
      sealed TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      claimed_until INTEGER,
      PRIMARY KEY (request_id, purpose)
    ) STRICT`,
    'CREATE INDEX user_secrets_expiry_idx ON user_secrets (expires_at)',
    `INSERT INTO user_secrets (request_id, purpose, owner_id, sealed, expires_at)
      SELECT request_id, 'reveal', owner_id, 'plain:' || value, expires_at FROM secrets`,
    'DROP TABLE secrets',
  ],
};

/**
 * Named queues (jobs of one queue run one at a time, across replicas) and pruning of finished jobs
 * by age. Jobs already queued get the queue the job builders now give them.
 */
const jobQueues: Migration = {
  id: '0003_job_queues',
  statements: [
    'ALTER TABLE jobs ADD COLUMN queue TEXT',
    `UPDATE jobs SET queue = CASE WHEN kind IN ('provision', 'precheck') THEN 'vendor:' ELSE 'chat:' END || request_id
     WHERE request_id IS NOT NULL`,
    'CREATE INDEX jobs_queue_idx ON jobs (queue, state)',
    'CREATE INDEX jobs_finished_idx ON jobs (state, updated_at)',
  ],
};

/** A claim walks due jobs in (run_after, id) order and stops at the first free one. */
const jobClaimOrder: Migration = {
  id: '0004_job_claim_order',
  statements: [
    'CREATE INDEX jobs_due_idx ON jobs (state, run_after, id)',
    'CREATE INDEX jobs_expired_idx ON jobs (state, lease_expires_at, run_after, id)',
    'DROP INDEX jobs_claim_idx',
  ],
};

/** What was last sent to the card (a hash of its render): an identical re-render sends nothing. */
const cardRender: Migration = {
  id: '0007_card_render',
  statements: ['ALTER TABLE requests ADD COLUMN card_render TEXT'],
};

/**
 * jobs_lease_idx (state, lease_expires_at) is the head of jobs_expired_idx, which serves every query
 * it did; each job's insert, claim, heartbeat and completion no longer writes it.
 */
const dropLeaseIndex: Migration = {
  id: '0008_drop_jobs_lease_idx',
  statements: ['DROP INDEX jobs_lease_idx'],
};

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  init,
  sealedSecrets,
  jobQueues,
  jobClaimOrder,
  cardRender,
  dropLeaseIndex,
];
