/**
 * userSearch CSV → users. Parsed by header name with papaparse (account names such as
 * "Account Test Company, LLC" are quoted and contain commas); one user may span several rows, one
 * per account, which are grouped into one PjmUser.
 */
import Papa from 'papaparse';
import { VendorError } from '../../errors.ts';
import { type PjmUser, pjmCsvRowSchema } from './pjm-schemas.ts';

/** One row per user and account; a search that matches more is too broad to show or trust. */
export const PJM_CSV_MAX_ROWS = 10_000;

export function parsePjmUserSearchCsv(csv: string, maxRows = PJM_CSV_MAX_ROWS): PjmUser[] {
  if (csv.trim() === '') return [];
  const parsed = Papa.parse<Record<string, unknown>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
    preview: maxRows + 1,
  });
  if (parsed.data.length > maxRows) {
    throw new VendorError({
      vendor: 'pjm',
      kind: 'unknown',
      message: `PJM userSearch answered with more than ${maxRows} rows; narrow the search`,
      httpStatus: 200,
      requestSent: true,
    });
  }
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('Username')) {
    throw new VendorError({
      vendor: 'pjm',
      kind: 'unknown',
      message: 'PJM userSearch answered without a Username column; the CSV format may have changed',
      httpStatus: 200,
      requestSent: true,
    });
  }
  const users = new Map<string, PjmUser>();
  for (const raw of parsed.data) {
    const row = pjmCsvRowSchema.safeParse(raw);
    if (!row.success) continue; // a row without a username cannot be attributed to anyone
    const r = row.data;
    const key = r.Username.toLowerCase();
    let user = users.get(key);
    if (!user) {
      user = {
        username: r.Username,
        firstName: r['First name'],
        lastName: r['Last name'],
        email: r.Email,
        phone: r.Phone,
        employedAs: r['Employed as'],
        systemAccount: r['System account'],
        lockStatus: r['Lock Status'],
        userStatus: r['User Status'],
        accounts: [],
      };
      users.set(key, user);
    }
    if (r.Account || r['Account ID'] || r['Account shortname']) {
      user.accounts.push({ id: r['Account ID'], name: r.Account, shortName: r['Account shortname'] });
    }
  }
  return [...users.values()];
}
