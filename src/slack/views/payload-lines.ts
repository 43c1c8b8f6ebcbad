/** A payload as the approver reads it: labelled lines, secrets masked, everything escaped. */
import type { PayloadLine, PrivilegeGrant } from '../../vendors/provisioner.ts';
import { bold, esc, MASK } from './mrkdwn.ts';

export const payloadLine = (l: PayloadLine) => `*${esc(l.label)}:* ${l.secret ? MASK : esc(l.value)}`;

/** Holders named on the card; the rest are counted (the full list is in the payload modal). */
const HOLDERS_SHOWN = 5;

export function privilegeLine(p: PrivilegeGrant): string {
  const n = p.holders.length;
  const named = p.holders.slice(0, HOLDERS_SHOWN).map(esc).join(', ');
  const more = n > HOLDERS_SHOWN ? ` and ${n - HOLDERS_SHOWN} more` : '';
  return `• ${bold(p.label)} — ${n} user${n === 1 ? '' : 's'}: ${named}${more}`;
}
