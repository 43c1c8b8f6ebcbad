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
