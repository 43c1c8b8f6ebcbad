/** The bulk template a vendor's CSV file starts from: the header its form takes and one valid example row. */
import type { FormField } from '../vendors/provisioner.ts';
import { writeCsv } from './csv-write.ts';

function example(f: FormField): string {
  if (f.kind === 'text' || f.kind === 'email') return f.example ?? '';
  if (f.kind === 'select' || f.kind === 'multiselect') return f.options[0]?.value ?? '';
  return '';
}

export function templateCsv(fields: readonly FormField[]): string {
  return writeCsv(
    fields.map((f) => f.id),
    [fields.map(example)],
  );
}
