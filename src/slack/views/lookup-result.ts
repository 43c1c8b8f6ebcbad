import type { LookupResult } from '../../vendors/provisioner.ts';
import type { SlackMessage } from '../slack-gateway.ts';
import { LIMITS, message, section, sectionsOf } from './blocks.ts';
import { bold, esc } from './mrkdwn.ts';

const MAX_USERS = 10;

export function renderLookupResult(vendorName: string, query: string, result: LookupResult): SlackMessage {
  if (result.users.length === 0) {
    const text = `:mag: ${esc(vendorName)}: no user matches “${esc(query)}”.`;
    return message(text, [section(text)]);
  }
  const shown = result.users.slice(0, MAX_USERS);
  const lines = [
    `:mag: ${bold(vendorName)} — ${result.users.length} match${result.users.length === 1 ? '' : 'es'} for “${esc(query)}”`,
  ];
  for (const u of shown) {
    lines.push(bold(u.title), ...u.lines.map((l) => `   ${esc(l.label)}: ${esc(l.value)}`));
    if (u.accounts?.length) lines.push(`   Accounts: ${u.accounts.map(esc).join(' · ')}`);
  }
  const more = result.users.length - shown.length;
  if (more > 0) lines.push(`_… ${more} more; narrow the search._`);
  if (result.truncatedNote) lines.push(`_${esc(result.truncatedNote)}_`);
  return message(lines[0]!, sectionsOf(lines, LIMITS.messageBlocks));
}

export function renderLookupUsage(vendors: readonly string[]): SlackMessage {
  const text = `Usage: \`/lookup ${esc(vendors.join('|'))} &lt;email, username or name&gt;\` — for example \`/lookup pjm jsmith@example.com\`.`;
  return message(text, [section(text)]);
}

/** Why a lookup gave no answer: the vendor's words or the refusal, escaped. */
export function renderLookupError(reason: string): SlackMessage {
  const text = `:warning: ${esc(reason)}`;
  return message(text, [section(text)]);
}
