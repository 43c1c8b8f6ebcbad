/**
 * Rows that only live until an expiry: inbound Slack delivery ids (de-duplication across replicas)
 * and secrets waiting to be revealed once. Each operation is one statement, so it needs no lock.
 */
import type { SqlExecutor } from './sql-driver.ts';
import { toCount, toSecretValue } from './sql-rows.ts';

/** An expired id counts as absent: the upsert replaces it and reports a first delivery. */
export async function markDelivery(
  db: SqlExecutor,
  deliveryId: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO slack_deliveries (id, expires_at) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at
     WHERE slack_deliveries.expires_at <= $3
     RETURNING id`,
    [deliveryId, expiresAt.getTime(), now.getTime()],
  );
  return rows.length > 0;
}

export function pruneDeliveries(db: SqlExecutor, now: Date): Promise<number> {
  return db.execute('DELETE FROM slack_deliveries WHERE expires_at <= $1', [now.getTime()]);
}

/** One secret per request: a second put replaces the first. */
export async function putSecret(
  db: SqlExecutor,
  requestId: string,
  ownerId: string,
  value: string,
  expiresAt: Date,
): Promise<void> {
  await db.execute(
    `INSERT INTO secrets (request_id, owner_id, value, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (request_id) DO UPDATE
     SET owner_id = excluded.owner_id, value = excluded.value, expires_at = excluded.expires_at`,
    [requestId, ownerId, value, expiresAt.getTime()],
  );
}

/** Returned and deleted by one statement, so two concurrent takers cannot both get it. */
export async function takeSecret(
  db: SqlExecutor,
  requestId: string,
  ownerId: string,
  now: Date,
): Promise<string | null> {
  const [row] = await db.query(
    'DELETE FROM secrets WHERE request_id = $1 AND owner_id = $2 AND expires_at > $3 RETURNING value',
    [requestId, ownerId, now.getTime()],
  );
  return row ? toSecretValue(row) : null;
}

export async function hasSecret(db: SqlExecutor, requestId: string, now: Date): Promise<boolean> {
  const [row] = await db.query(
    'SELECT COUNT(*) AS n FROM secrets WHERE request_id = $1 AND expires_at > $2',
    [requestId, now.getTime()],
  );
  return row !== undefined && toCount(row) > 0;
}

export function purgeSecrets(db: SqlExecutor, now: Date): Promise<number> {
  return db.execute('DELETE FROM secrets WHERE expires_at <= $1', [now.getTime()]);
}
