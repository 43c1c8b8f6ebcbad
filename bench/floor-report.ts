/**
 * Pure formatting of the floor comparison: each figure beside the floor measured in the same run,
 * their ratio, the issue's goal for that ratio and whether it was met; and Slack Web API calls per
 * request by method.
 */

/** One compared figure: the bot's value against a reference (the floor, or the bot's own idle). */
export interface FloorRow {
  what: string;
  /** e.g. the number in flight; '' when it does not apply. */
  load: string;
  unit: 'ms' | 'MiB' | 'req/s';
  bot: number;
  against: number;
  /** What `against` is: 'bare Bolt' or 'idle'. */
  againstName: string;
  /** The goal: bot ≤ maxRatio × against; null for a figure shown for reading only (p50s). */
  maxRatio: number | null;
  /** A throughput goal instead: bot ≥ minRatio × against (maxRatio is then null). */
  minRatio?: number;
}

export const ratioOf = (bot: number, against: number): number => (against > 0 ? bot / against : Infinity);

/** Whether the goal is met; null when the row has no goal. */
export function meetsGoal(row: FloorRow): boolean | null {
  const ratio = ratioOf(row.bot, row.against);
  if (row.minRatio !== undefined) return ratio >= row.minRatio;
  return row.maxRatio === null ? null : ratio <= row.maxRatio;
}

const goalText = (row: FloorRow): string =>
  row.minRatio !== undefined ? `≥ ${row.minRatio}×` : row.maxRatio === null ? '—' : `≤ ${row.maxRatio}×`;

const num = (v: number, digits: number): string =>
  Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '∞';

function markdownTable(
  header: readonly string[],
  lines: readonly (readonly string[])[],
  right: number,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i >= right ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= right ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [row(header), rule, ...lines.map(row)].join('\n');
}

const metText = (met: boolean | null): string => (met === null ? '—' : met ? 'yes' : 'NO');

/** The comparison as a Markdown table (pasted as is into BENCHMARKS.md). */
export function formatFloorTable(rows: readonly FloorRow[]): string {
  const header = ['measurement', 'load', 'Access Desk', 'against', 'ratio', 'goal', 'met'];
  const lines = rows.map((r) => {
    const digits = r.unit === 'MiB' ? 0 : 1;
    return [
      r.what,
      r.load,
      `${num(r.bot, digits)} ${r.unit}`,
      `${num(r.against, digits)} ${r.unit} (${r.againstName})`,
      `${num(ratioOf(r.bot, r.against), 2)}×`,
      goalText(r),
      metText(meetsGoal(r)),
    ];
  });
  return markdownTable(header, lines, 2);
}

/** Web API calls by method (response_url posts included), divided by the requests that made them. */
export function callsPerRequest(
  methods: readonly string[],
  requests: number,
): { method: string; calls: number; perRequest: number }[] {
  const counts = new Map<string, number>();
  for (const m of methods) counts.set(m, (counts.get(m) ?? 0) + 1);
  const rows = [...counts].map(([method, calls]) => ({ method, calls, perRequest: calls / requests }));
  rows.sort((a, b) => b.calls - a.calls || a.method.localeCompare(b.method));
  return [{ method: 'all', calls: methods.length, perRequest: methods.length / requests }, ...rows];
}

export function formatCallsTable(rows: ReturnType<typeof callsPerRequest>): string {
  return markdownTable(
    ['Slack Web API method', 'calls', 'per request'],
    rows.map((r) => [r.method, String(r.calls), num(r.perRequest, 2)]),
    1,
  );
}
