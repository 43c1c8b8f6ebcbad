/**
 * A bulk file checked row by row before anything is stored (the preview): each row with the
 * vendor's own form rules, plus duplicates inside the file on the fields the vendor marks `unique`
 * (case-insensitive; the first occurrence stays, later ones are faults). Whole-file problems
 * (columns, no rows, too many rows) are a ValidationError on BULK_FIELD instead.
 */
import Papa from 'papaparse';
import type { VendorId } from '../domain/request.ts';
import { ValidationError } from '../errors.ts';
import type { FormField, FormValues, Provisioner } from '../vendors/provisioner.ts';
import { readCsvRows } from './bulk-csv.ts';
import type { VendorEntry } from './deps.ts';

/** Users one file may hold; they go out in create calls of the vendor's own batch size. */
export const MAX_FILE_ROWS = 10_000;

export interface RowFault {
  /** Row in the file, the header being row 1. */
  row: number;
  /** Field id (the column), or '' for the row as a whole. */
  field: string;
  message: string;
  /** The cell as given (never for a secret field). */
  value: string;
}

export interface BulkCheck {
  /** Data rows in the file. */
  total: number;
  /** Rows without a fault, in file order. */
  good: { row: number; values: FormValues }[];
  /** Every fault, by row. */
  faults: RowFault[];
  /** Distinct rows with at least one fault. */
  badRows: number;
}

const cellText = (v: FormValues[string]): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : v.join(';');

/** @throws ValidationError on BULK_FIELD when the file as a whole cannot be used */
export function checkBulkCsv(provisioner: Provisioner, text: string, maxRows = MAX_FILE_ROWS): BulkCheck {
  const fields = provisioner.formFields();
  const byId = new Map<string, FormField>(fields.map((f) => [f.id, f]));
  const secret = (id: string) => {
    const f = byId.get(id);
    return f?.kind === 'text' && f.secret === true;
  };
  const { rows, broken } = readCsvRows(fields, text, maxRows);
  const faults: RowFault[] = broken.map((b) => ({ row: b.row, field: '', message: b.message, value: '' }));
  const unique = fields.filter((f) => (f.kind === 'text' || f.kind === 'email') && f.unique === true);
  const firstSeen = new Map<string, Map<string, number>>(unique.map((f) => [f.id, new Map()]));
  for (const { row, values } of rows) {
    try {
      provisioner.parseForm(values);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const [field, message] of Object.entries(e.fields)) {
        faults.push({ row, field, message, value: secret(field) ? '' : cellText(values[field]) });
      }
    }
    for (const f of unique) {
      const given = cellText(values[f.id]).trim();
      if (!given) continue;
      const seen = firstSeen.get(f.id)!;
      const key = given.toLowerCase();
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, row);
      else
        faults.push({
          row,
          field: f.id,
          message: `Same ${f.label.toLowerCase()} as row ${earlier} (case is ignored).`,
          value: given,
        });
    }
  }
  faults.sort((a, b) => a.row - b.row);
  const bad = new Set(faults.map((f) => f.row));
  return {
    total: rows.length,
    good: rows.filter((r) => !bad.has(r.row)),
    faults,
    badRows: bad.size,
  };
}

/** The bulk vendor whose form has every column of the file's header, or null (a file dropped in the DM). */
export function bulkVendorFor(vendors: ReadonlyMap<VendorId, VendorEntry>, text: string): VendorId | null {
  const header = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: 1 }).data[0] ?? [];
  const columns = header.map((c) => c.trim()).filter(Boolean);
  if (columns.length === 0) return null;
  for (const [id, entry] of vendors) {
    if (!entry.provisioner.parseBulk) continue;
    const ids = new Set(entry.provisioner.formFields().map((f) => f.id));
    if (columns.every((c) => ids.has(c))) return id;
  }
  return null;
}
