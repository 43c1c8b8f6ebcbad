import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { ValidationError } from '../../../src/errors.ts';
import { checkBulkCsv } from '../../../src/flows/bulk-check.ts';
import { errorReportCsv } from '../../../src/flows/bulk-report.ts';
import { templateCsv } from '../../../src/flows/bulk-template.ts';
import type { CertClient } from '../../../src/vendors/certification/certification-client.ts';
import { CertProvisioner } from '../../../src/vendors/certification/certification-provisioner.ts';

function cert(patch: Record<string, unknown> = {}) {
  const settings = configSchema.shape.vendors.shape.cert.parse({
    roles: ['Certification:Reconciler', '+Close:=Admin'],
    departments: ['SALES'],
    ...patch,
  });
  return new CertProvisioner(settings as never, {} as CertClient);
}

const HEADER = 'userName,firstName,lastName,email';
const row = (i: number) => `user${i},First,Last,user${i}@example.com`;

describe('checkBulkCsv', () => {
  it('names each bad row by its line in the file (header = row 1) and field, and keeps the good ones', () => {
    const text = [HEADER, row(0), 'x,First,Last,bad-email', row(2), '.dot,,Last,dot@example.com'].join('\n');
    const check = checkBulkCsv(cert(), text);
    expect(check.total).toBe(4);
    expect(check.good.map((g) => g.row)).toEqual([2, 4]);
    expect(check.badRows).toBe(2);
    expect(check.faults.map((f) => `${f.row} ${f.field}`)).toEqual([
      '3 userName',
      '3 email',
      '5 userName',
      '5 firstName',
    ]);
  });

  it('finds duplicate user names and e-mails inside the file, ignoring case; the first stays good', () => {
    const text = [HEADER, row(1), 'USER1,A,B,other@example.com', 'other,A,B,User1@Example.com'].join('\n');
    const check = checkBulkCsv(cert(), text);
    expect(check.good.map((g) => g.row)).toEqual([2]);
    expect(check.faults.map((f) => [f.row, f.field, f.message])).toEqual([
      [3, 'userName', 'Same user name as row 2 (case is ignored).'],
      [4, 'email', 'Same e-mail as row 2 (case is ignored).'],
    ]);
  });

  it('a row with more cells than the header is a fault of that row, not a crash', () => {
    const check = checkBulkCsv(cert(), [HEADER, row(0), `${row(1)},extra`].join('\n'));
    expect(check.good.map((g) => g.row)).toEqual([2]);
    expect(check.faults[0]).toMatchObject({
      row: 3,
      field: '',
      message: expect.stringMatching(/Too many fields/),
    });
  });

  it('refuses more than the row limit as a whole', () => {
    const text = [HEADER, row(0), row(1), row(2)].join('\n');
    expect(() => checkBulkCsv(cert(), text, 2)).toThrow(ValidationError);
  });

  it('a typed password never reaches the error report', () => {
    const p = cert({ userPasswords: 'typed' });
    const text = 'userName,password,firstName,lastName,email\nok1,weak,A,B,ok1@example.com';
    const check = checkBulkCsv(p, text);
    expect(check.faults.map((f) => f.field)).toEqual(['password']);
    expect(errorReportCsv(check)).not.toContain('weak');
  });

  it('the template: every column, an example row that passes the check, formula-looking options neutralised', () => {
    for (const mode of ['generate', 'typed'] as const) {
      const p = cert({ userPasswords: mode });
      const csv = templateCsv(p.formFields());
      const check = checkBulkCsv(p, csv);
      expect(check.faults).toEqual([]);
      expect(check.good).toHaveLength(1);
    }
    const csv = templateCsv(cert({ roles: ['+Close:=Admin'] }).formFields());
    expect(csv.split('\r\n')[1]).toContain("'+Close:=Admin");
  });
});
