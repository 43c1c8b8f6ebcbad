/** The CSV files of a batch: the preview's error report and the per-user results (never a password). */
import type { ItemResult } from '../vendors/provisioner.ts';
import type { BulkCheck } from './bulk-check.ts';
import { writeCsv } from './csv-write.ts';

/** One line per fault of the file, by row. */
export function errorReportCsv(check: BulkCheck): string {
  return writeCsv(
    ['row', 'column', 'problem', 'value'],
    check.faults.map((f) => [f.row, f.field, f.message, f.value]),
  );
}

/** One line per user of the batch, in payload order: what the vendor said. */
export function resultsCsv(items: readonly ItemResult[]): string {
  return writeCsv(
    ['username', 'status', 'id', 'messages'],
    items.map((i) => [i.subject, i.ok ? 'created' : 'not created', i.id ?? '', i.messages.join(' | ')]),
  );
}

/**
 * The `username,password` reveal block (provision-passwords.ts) as a CSV file, for a batch too big
 * for one modal. Neither a user name nor a password may hold a comma (seed 002's patterns).
 */
export function passwordsCsv(block: string): string {
  const [, ...lines] = block.split('\n');
  return writeCsv(
    ['username', 'password'],
    lines.filter(Boolean).map((l) => {
      const at = l.indexOf(',');
      return [l.slice(0, at), l.slice(at + 1)];
    }),
  );
}
