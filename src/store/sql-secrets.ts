/**
 * Secrets held for one Slack user, sealed with AES-256-GCM before they reach SQL (issue 8 §3): the
 * database files never see a plain value. Each request has at most one secret per purpose:
 * - 'reveal': what the requester sees once (a new AUTHTOKEN, generated passwords);
 * - 'passwords': the users' initial passwords until the create call is final.
 * A reveal is two-phase (claim, then delete once the modal opened), so a failed modal loses nothing.
 */
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SqlExecutor } from './sql-driver.ts';
import { toCount, toSealedRow, toSealedValue } from './sql-rows.ts';
import type { SecretPurpose } from './store.ts';

/** The associated data of a sealed value: it opens only on the row it was written for. */
const contextOf = (requestId: string, purpose: SecretPurpose) => `${requestId}:${purpose}`;

/** Marks values moved from the pre-0002 plain-text table, sealed at the next open. */
const PLAIN_PREFIX = 'plain:';

export interface PutSecret {
  requestId: string;
  purpose: SecretPurpose;
  ownerId: string;
  value: string;
  expiresAt: Date;
}

/** A second put for the same purpose replaces the first. */
export async function putSecret(db: SqlExecutor, box: SecretBox, s: PutSecret): Promise<void> {
  await db.execute(
    `INSERT INTO user_secrets (request_id, purpose, owner_id, sealed, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (request_id, purpose) DO UPDATE
     SET owner_id = excluded.owner_id, sealed = excluded.sealed, expires_at = excluded.expires_at,
         claimed_until = NULL`,
    [
      s.requestId,
      s.purpose,
      s.ownerId,
      box.seal(s.value, contextOf(s.requestId, s.purpose)),
      s.expiresAt.getTime(),
    ],
  );
}

export async function readSecret(
  db: SqlExecutor,
  box: SecretBox,
  requestId: string,
  purpose: SecretPurpose,
  now: Date,
): Promise<string | null> {
  const [row] = await db.query(
    'SELECT sealed FROM user_secrets WHERE request_id = $1 AND purpose = $2 AND expires_at > $3',
    [requestId, purpose, now.getTime()],
  );
  return row ? box.open(toSealedValue(row), contextOf(requestId, purpose)) : null;
}

/**
 * Phase one of a reveal: hold the reveal secret until `holdUntil` and return it, if it is this
 * owner's, unexpired and not held by another click. One statement, so two clicks cannot both win.
 */
export async function claimSecret(
  db: SqlExecutor,
  box: SecretBox,
  requestId: string,
  ownerId: string,
  now: Date,
  holdUntil: Date,
): Promise<string | null> {
  const [row] = await db.query(
    `UPDATE user_secrets SET claimed_until = $4
     WHERE request_id = $1 AND purpose = 'reveal' AND owner_id = $2 AND expires_at > $3
       AND (claimed_until IS NULL OR claimed_until <= $3)
     RETURNING sealed`,
    [requestId, ownerId, now.getTime(), holdUntil.getTime()],
  );
  return row ? box.open(toSealedValue(row), contextOf(requestId, 'reveal')) : null;
}

/** The modal did not open: the next click may claim the secret again. */
export async function releaseSecret(db: SqlExecutor, requestId: string): Promise<void> {
  await db.execute(
    "UPDATE user_secrets SET claimed_until = NULL WHERE request_id = $1 AND purpose = 'reveal'",
    [requestId],
  );
}

export function deleteSecret(db: SqlExecutor, requestId: string, purpose: SecretPurpose): Promise<number> {
  return db.execute('DELETE FROM user_secrets WHERE request_id = $1 AND purpose = $2', [requestId, purpose]);
}

export async function hasSecret(db: SqlExecutor, requestId: string, now: Date): Promise<boolean> {
  const [row] = await db.query(
    "SELECT COUNT(*) AS n FROM user_secrets WHERE request_id = $1 AND purpose = 'reveal' AND expires_at > $2",
    [requestId, now.getTime()],
  );
  return row !== undefined && toCount(row) > 0;
}

export function purgeSecrets(db: SqlExecutor, now: Date): Promise<number> {
  return db.execute('DELETE FROM user_secrets WHERE expires_at <= $1', [now.getTime()]);
}

/** Seal the values migration 0002 moved over in plain text; returns how many. */
export async function sealPlainSecrets(db: SqlExecutor, box: SecretBox): Promise<number> {
  const rows = (
    await db.query('SELECT request_id, purpose, sealed FROM user_secrets WHERE sealed LIKE $1', [
      `${PLAIN_PREFIX}%`,
    ])
  ).map(toSealedRow);
  for (const r of rows) {
    await db.execute('UPDATE user_secrets SET sealed = $3 WHERE request_id = $1 AND purpose = $2', [
      r.requestId,
      r.purpose,
      box.seal(r.sealed.slice(PLAIN_PREFIX.length), contextOf(r.requestId, r.purpose)),
    ]);
  }
  return rows.length;
}
