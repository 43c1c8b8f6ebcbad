/**
 * Inbound Slack delivery ids, which only live until an expiry (de-duplication across replicas).
 * Each operation is one statement, so it needs no lock. Secrets: sql-secrets.ts.
 */
import type { SqlExecutor } from './sql-driver.ts';

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
