/** One line of the doctor's table, and how the table is printed. */

export interface CheckResult {
  /** What was checked, e.g. "Slack bot token" or "PAM360 authenticated read". */
  name: string;
  ok: boolean;
  /** What was found: the account signed in as, or the failure in the remote system's words. */
  detail: string;
  /** On failure: what to change, starting with the setting's name. */
  fix?: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  ok: false,
  detail,
  fix,
});

/** A plain-text table: PASS/FAIL, the check, what was found, and the fix under each failure. */
export function renderTable(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length), 5);
  const lines = results.flatMap((r) => {
    const row = `${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.detail}`;
    return r.fix ? [row, `${' '.repeat(width + 8)}fix: ${r.fix}`] : [row];
  });
  const failed = results.filter((r) => !r.ok).length;
  const summary =
    failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`;
  return `${lines.join('\n')}\n\n${summary}\n`;
}
