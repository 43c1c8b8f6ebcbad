import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.ts';
import { BULK_FIELD, csvToFormValues } from '../../../src/flows/bulk-csv.ts';
import type { FormField } from '../../../src/vendors/provisioner.ts';

const fields: FormField[] = [
  { kind: 'text', id: 'userName', label: 'User name' },
  { kind: 'multiselect', id: 'roles', label: 'Roles', options: [{ value: 'a', label: 'A' }] },
];

function refusal(text: string): string {
  try {
    csvToFormValues(fields, text);
  } catch (e) {
    if (e instanceof ValidationError) return e.fields[BULK_FIELD] ?? '';
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('csvToFormValues', () => {
  it('reads rows by header, multi-value cells split on ";"', () => {
    expect(csvToFormValues(fields, 'userName,roles\n"doe, j",a; b\n')).toEqual([
      { userName: 'doe, j', roles: ['a', 'b'] },
    ]);
  });

  it('a column given twice is named, not renamed into an unknown one', () => {
    expect(refusal('userName,roles,userName\nx,a,y')).toBe(
      'Column userName given more than once. Use: userName,roles',
    );
  });

  it('an unknown column is named with the header to use', () => {
    expect(refusal('userName,colour\nx,red')).toBe('Unknown column colour. Use: userName,roles');
  });
});
