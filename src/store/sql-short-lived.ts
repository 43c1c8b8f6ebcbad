/**
 * Inbound Slack delivery ids, which only live until an expiry (de-duplication across replicas).
 * Each operation is one statement per chunk, so it needs no lock. Secrets: sql-secrets.ts.
 */
import type { SqlExecutor } from './sql-driver.ts';

/** Ids per statement: well under SQLite's 32,766 parameters and PostgreSQL's 65,535. */
const CHUNK = 500;

/**
 * Marks a batch of delivery ids in one statement per chunk (a group commit: one write however many
 * deliveries arrived together). Returns, per position, whether that delivery is the first: an id
 * already remembered and not expired is a duplicate, an expired one is replaced and counts as
 * first, and an id repeated within the batch is first only at its first position. Ids are written
 * in sorted order, so two replicas marking overlapping batches lock rows in the same order.
 */
export async function markDeliveries(
  db: SqlExecutor,
  deliveryIds: readonly string[],
  expiresAt: Date,
  now: Date,
): Promise<boolean[]> {
  const unique = [...new Set(deliveryIds)].sort();
  const first = new Set<string>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await db.query(
      `INSERT INTO slack_deliveries (id, expires_at) VALUES ${chunk.map((_, j) => `($${j + 3}, $1)`).join(', ')}
       ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at
       WHERE slack_deliveries.expires_at <= $2
       RETURNING id`,
      [expiresAt.getTime(), now.getTime(), ...chunk],
    );
    for (const row of rows) first.add(String(row.id));
  }
  return deliveryIds.map((id) => first.delete(id));
}

export function pruneDeliveries(db: SqlExecutor, now: Date): Promise<number> {
  return db.execute('DELETE FROM slack_deliveries WHERE expires_at <= $1', [now.getTime()]);
}
