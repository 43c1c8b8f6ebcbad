/**
 * The one writer of every CSV file the bot hands out (template, error report, results, audit,
 * initial passwords): papaparse's `unparse`, with every cell that a spreadsheet would read as a
 * formula neutralised by a leading `'`. papaparse's own `escapeFormulae: true` pattern is
 * `/^[=+\-@\t\r].*$/` without the `s` flag, so a cell such as "=HYPERLINK(…)\nx" (a line break
 * inside) slips through; the pattern below looks at the first character only.
 */
import Papa from 'papaparse';

/** A cell starting with one of `=`, `+`, `-`, `@`, tab or carriage return. */
export const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCell = string | number | boolean | null;

/** Header line, then one line per row (CRLF, RFC 4180 quoting); every string cell neutralised. */
export function writeCsv(fields: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return Papa.unparse(
    { fields: [...fields], data: rows.map((r) => r.map((c) => (c === null ? '' : String(c)))) },
    { escapeFormulae: FORMULA_START, newline: '\r\n' },
  );
}
