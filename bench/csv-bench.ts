/**
 * PJM userSearch CSV parsing: 10,000 rows in the simulator's column order and quoting (CRLF, RFC
 * 4180), account names with commas and quotes, and users spread over several account rows. And a
 * Certification bulk file (issue 11): parse, check every row, render the preview, with 3 bad rows.
 */
import Papa from 'papaparse';
import { configSchema } from '../src/config/schema.ts';
import { checkBulkCsv } from '../src/flows/bulk-check.ts';
import { errorReportCsv } from '../src/flows/bulk-report.ts';
import { renderBulkPreviewModal } from '../src/slack/views/bulk-preview.ts';
import type { CertClient } from '../src/vendors/certification/certification-client.ts';
import { CertProvisioner } from '../src/vendors/certification/certification-provisioner.ts';
import { parsePjmUserSearchCsv } from '../src/vendors/pjm/pjm-csv.ts';
import { PJM_SIM_CSV_HEADER } from '../test/fakes/sims/pjm-sim-store.ts';
import { type BenchRow, latencyRow, throughputRow, timeEach } from './bench-stats.ts';

export interface CsvBenchSizes {
  rows: number;
  warmupRuns: number;
  runs: number;
}

export const CSV_BENCH_SIZES: CsvBenchSizes = { rows: 10_000, warmupRuns: 5, runs: 20 };

const ACCOUNTS = [
  { id: '999999', name: 'Account Test Company, LLC', shortName: 'ACCT' },
  { id: '888888', name: 'Other Power & Light', shortName: 'OTHR' },
  { id: '777777', name: 'Grid "North", Inc.', shortName: 'GRDN' },
] as const;

const field = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * `rows` data rows; every third user holds all three accounts (three rows), the others one.
 * Returns the text and how many distinct users it holds.
 */
export function buildUserSearchCsv(rows: number): { csv: string; users: number } {
  const lines = [PJM_SIM_CSV_HEADER.map(field).join(',')];
  let user = 0;
  while (lines.length - 1 < rows) {
    const accounts = user % 3 === 0 ? ACCOUNTS : [ACCOUNTS[user % ACCOUNTS.length]!];
    for (const a of accounts) {
      if (lines.length - 1 === rows) break;
      const row: Record<(typeof PJM_SIM_CSV_HEADER)[number], string> = {
        'Account ID': a.id,
        Account: a.name,
        'Account shortname': a.shortName,
        'Last name': `O'Neil, Jr.`,
        'First name': `First${user}`,
        Username: `user${String(user).padStart(6, '0')}`,
        Email: `user${user}@example.com`,
        Phone: '555-555-5555',
        'Employed as': 'Employee',
        'System account': 'No',
        'Lock Status': 'No',
        'Lock Timestamp': '',
        'User Status': 'Active',
        'Single User/Multi Account': accounts.length > 1 ? 'Yes' : 'No',
      };
      lines.push(PJM_SIM_CSV_HEADER.map((h) => field(row[h])).join(','));
    }
    user++;
  }
  return { csv: `${lines.join('\r\n')}\r\n`, users: user };
}

export async function runCsvBench(sizes: CsvBenchSizes = CSV_BENCH_SIZES): Promise<BenchRow[]> {
  const { csv, users } = buildUserSearchCsv(sizes.rows);
  const parse = async () => {
    const parsed = parsePjmUserSearchCsv(csv);
    if (parsed.length !== users) throw new Error(`bench: parsed ${parsed.length} users, expected ${users}`);
  };
  await timeEach(sizes.warmupRuns, parse);
  const runs = await timeEach(sizes.runs, parse);
  // The same text through papaparse alone, with the options pjm-csv.ts uses: the rest of the time
  // above is per-row validation and grouping.
  const tokenize = async () => {
    const parsed = Papa.parse(csv, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
    });
    if (parsed.data.length !== sizes.rows)
      throw new Error(`bench: papaparse gave ${parsed.data.length} rows`);
  };
  await timeEach(sizes.warmupRuns, tokenize);
  const tokenized = await timeEach(sizes.runs, tokenize);
  const certRows = await runCertFileBench([...new Set([1_000, sizes.rows])], sizes);
  const rows = sizes.rows.toLocaleString('en-US');
  const name = `parsePjmUserSearchCsv, ${rows} rows → ${users.toLocaleString('en-US')} users (${(csv.length / 1e6).toFixed(1)} MB)`;
  return [
    throughputRow('pjm csv', name, sizes.runs, runs.elapsedMs, runs.samplesMs),
    throughputRow(
      'pjm csv',
      `papaparse alone, same ${rows} rows`,
      sizes.runs,
      tokenized.elapsedMs,
      tokenized.samplesMs,
    ),
    ...certRows,
  ];
}

/** A Certification bulk file of `rows` users, 3 of them bad (an e-mail, a user name, a duplicate). */
export function buildCertFile(rows: number): string {
  const lines = ['userName,firstName,lastName,email,roles,departmentId,userAccess'];
  for (let i = 0; i < rows; i++) {
    const email = i === 10 ? 'not-an-email' : `user${i}@example.com`;
    const name = i === rows - 2 ? '.dotted' : i === rows - 1 ? 'USER3' : `user${i}`;
    lines.push(
      `${name},First ${i},"O'Neil, Jr.",${email},Certification:Reconciler,SALES,accessClose;r2REnabled`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The preview path of a bulk file (what runs before the modal's ack): check every row, render, error report. */
async function runCertFileBench(sizes: readonly number[], runs: CsvBenchSizes): Promise<BenchRow[]> {
  const settings = configSchema.shape.vendors.shape.cert.parse({
    roles: ['Certification:Reconciler', 'Close:CloseAdmin'],
    departments: ['SALES', 'FINANCE'],
  });
  const cert = new CertProvisioner(settings, {} as CertClient);
  const out: BenchRow[] = [];
  for (const rows of sizes) {
    const text = buildCertFile(rows);
    const preview = async () => {
      const check = checkBulkCsv(cert, text);
      if (check.badRows !== 3) throw new Error(`bench: ${check.badRows} bad rows, expected 3`);
      renderBulkPreviewModal(
        {
          vendorName: 'Certification',
          fileName: 'bench.csv',
          total: check.total,
          good: check.good.length,
          badRows: check.badRows,
          faults: check.faults,
          vendorCanTell: false,
        },
        { vendor: 'cert', file: 'F0' },
      );
      errorReportCsv(check);
    };
    const n = Math.max(5, Math.round(runs.runs / (rows / 1_000)));
    await timeEach(runs.warmupRuns, preview);
    const timed = await timeEach(n, preview);
    out.push(
      latencyRow(
        'cert bulk file',
        `${rows.toLocaleString('en-US')} rows (${(text.length / 1e6).toFixed(2)} MB) → check every row, preview, error report`,
        timed.samplesMs,
      ),
    );
  }
  return out;
}
