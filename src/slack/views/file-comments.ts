/** The message that goes with each file the bot uploads (results, error report, template, audit, passwords). */
import type { FormField } from '../../vendors/provisioner.ts';
import { clip } from './blocks.ts';
import { bold, esc } from './mrkdwn.ts';

/** A file's comment is a message: kept well inside Slack's 40,000 characters. */
const COMMENT_MAX = 4000;

export const resultsFileComment = (vendorName: string, headline: string): string =>
  clip(
    `:page_facing_up: ${bold(`${vendorName} results`)} — ${esc(headline)}. One line per user: username, status, id and ${esc(vendorName)}’s messages (no passwords).`,
    COMMENT_MAX,
  );

export const errorReportComment = (fileName: string, faults: number, rows: number): string =>
  clip(
    `:warning: ${bold('Error report')} for ${esc(fileName)}: ${faults} problem${faults === 1 ? '' : 's'} in ${rows} row${rows === 1 ? '' : 's'} (row 1 is the header).`,
    COMMENT_MAX,
  );

export const auditFileComment = (days: number, vendor: string | null, events: number): string =>
  clip(
    `:ledger: ${bold('Audit trail')}, last ${days} day${days === 1 ? '' : 's'}${vendor ? `, ${esc(vendor)} only` : ''}: ${events} event${events === 1 ? '' : 's'}.`,
    COMMENT_MAX,
  );

export const passwordsFileComment = (subject: string): string =>
  clip(
    `:key: ${bold('Initial passwords')} for ${esc(subject)} — too many for a window, so here as a file only you can see. Delete this message once you have handed them over.`,
    COMMENT_MAX,
  );

function rule(f: FormField): string {
  const parts = [f.kind !== 'checkboxes' && f.optional !== true ? 'required' : 'optional'];
  if (f.kind === 'multiselect' || f.kind === 'checkboxes')
    parts.push(
      `several values separated by ;${f.options.length ? ` from: ${f.options.map((o) => o.value).join(', ')}` : ''}`,
    );
  else if (f.kind === 'select' && f.options.length)
    parts.push(`one of: ${f.options.map((o) => o.value).join(', ')}`);
  if ((f.kind === 'text' || f.kind === 'email') && f.unique)
    parts.push('unique in the file (case is ignored)');
  if (f.hint) parts.push(f.hint.replace(/\.$/, ''));
  return `• \`${esc(f.id)}\` (${esc(f.label)}): ${esc(parts.join('; '))}`;
}

/** The column rules, one line per column, with the limits of a file. */
export function templateComment(
  vendor: { id: string; displayName: string },
  fields: readonly FormField[],
  maxRows: number,
): string {
  const text = [
    `:page_facing_up: ${bold(`${vendor.displayName} bulk template`)}: fill one user per row under the header (replace the example row), then upload the file in \`/newuser ${esc(vendor.id)} bulk\` or drop it here in this DM. Up to ${maxRows.toLocaleString('en-US')} users; every row is checked before anything is stored. Columns:`,
    ...fields.map(rule),
  ].join('\n');
  return clip(text, COMMENT_MAX);
}

export const renderTemplateSentText = (vendorName: string): string =>
  `:page_facing_up: The ${esc(vendorName)} bulk template is in your DM with Access Desk, with the rules of each column.`;

export const renderAuditSentText = (events: number): string =>
  `:ledger: The audit trail (${events} event${events === 1 ? '' : 's'}) is in your DM with Access Desk.`;

export const renderAuditUsage = (vendors: readonly string[], maxDays: number): string =>
  `Usage: \`/newuser audit [days] [${esc(vendors.join('|'))}]\` — days from 1 to ${maxDays}, 30 if left out.`;
