/**
 * A bulk request arrives as CSV text whose header names the form's field ids. Parsed with papaparse
 * (quoted commas kept); multi-value cells are separated by ';'. Nothing vendor-specific here: the
 * provisioner validates each row with its own rules.
 */
import Papa from 'papaparse';
import { ValidationError } from '../errors.ts';
import type { FormField, FormValues } from '../vendors/provisioner.ts';

export const BULK_FIELD = 'bulk_csv';
export const MAX_BULK_ROWS = 1000;

const MULTI = new Set<FormField['kind']>(['multiselect', 'checkboxes']);

export function bulkHeader(fields: readonly FormField[]): string {
  return fields.map((f) => f.id).join(',');
}

/** One data row as read from the file; `row` counts the header as row 1 (blank lines skipped). */
export interface CsvRow {
  row: number;
  values: FormValues;
}

export interface CsvRows {
  rows: CsvRow[];
  /** Rows papaparse could not read as written (too many or too few cells, an open quote). */
  broken: { row: number; message: string }[];
}

/**
 * CSV text whose header names the form's field ids → one FormValues per row.
 * @throws ValidationError on BULK_FIELD for what makes the whole file unusable: a repeated or
 *   unknown column, no rows, more than `maxRows` rows
 */
export function readCsvRows(fields: readonly FormField[], text: string, maxRows: number): CsvRows {
  // A repeated column is refused here: papaparse would rename it (and warn on the console).
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, '').trim(), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h, i) => {
      const name = h.trim();
      if (!seen.has(name)) {
        seen.add(name);
        return name;
      }
      repeated.add(name);
      return `${name}\u0000${i}`;
    },
  });
  if (repeated.size > 0) {
    throw new ValidationError({
      [BULK_FIELD]: `Column${repeated.size > 1 ? 's' : ''} ${[...repeated].join(', ')} given more than once. Use: ${bulkHeader(fields)}`,
    });
  }
  const known = new Map(fields.map((f) => [f.id, f]));
  const columns = parsed.meta.fields ?? [];
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new ValidationError({
      [BULK_FIELD]: `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Use: ${bulkHeader(fields)}`,
    });
  }
  if (parsed.data.length === 0)
    throw new ValidationError({ [BULK_FIELD]: 'Give a header line and at least one user.' });
  if (parsed.data.length > maxRows) {
    throw new ValidationError({
      [BULK_FIELD]: `At most ${maxRows.toLocaleString('en-US')} users per request (got ${parsed.data.length.toLocaleString('en-US')}).`,
    });
  }
  const broken = parsed.errors
    .filter((e) => e.type !== 'Delimiter')
    .map((e) => ({ row: (e.row ?? 0) + 2, message: e.message }));
  const rows = parsed.data.map((row, i) => {
    const values: FormValues = {};
    for (const [column, raw] of Object.entries(row)) {
      // Cells past the header's columns come as papaparse's __parsed_extra list: the row is broken.
      const field = known.get(column);
      if (!field || typeof raw !== 'string') continue;
      const cell = raw.trim();
      values[column] = MULTI.has(field.kind)
        ? cell
            .split(';')
            .map((v) => v.trim())
            .filter(Boolean)
        : cell || null;
    }
    return { row: i + 2, values };
  });
  return { rows, broken };
}

/** Pasted CSV: every row readable, at most MAX_BULK_ROWS. @throws ValidationError on BULK_FIELD */
export function csvToFormValues(fields: readonly FormField[], text: string): FormValues[] {
  const { rows, broken } = readCsvRows(fields, text, MAX_BULK_ROWS);
  const first = broken[0];
  if (first) throw new ValidationError({ [BULK_FIELD]: `Row ${first.row}: ${first.message}` });
  return rows.map((r) => r.values);
}

/** Row errors folded into the one bulk field, short enough for a modal error. */
export function bulkErrorText(e: ValidationError, max = 1500): string {
  const text = Object.entries(e.fields)
    .map(([where, message]) => (where === BULK_FIELD ? message : `${where}: ${message}`))
    .join('\n');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
