import type { SlackMessage } from '../slack-gateway.ts';
import { section } from './blocks.ts';
import type { VendorChoice } from './newuser-modal.ts';

export function renderHelp(
  vendors: readonly VendorChoice[],
  lookupVendors: readonly string[],
  bulkVendors: readonly string[],
): SlackMessage {
  const list = vendors.map((v) => `\`${v.id}\` (${v.displayName})`).join(', ');
  const text = [
    '*Access Desk* — request a new account; an approver decides in the approval channel, then I create it and report back in the thread.',
    `• \`/newuser\` — choose where; \`/newuser ${vendors.map((v) => v.id).join('|')}\` — go straight to the form. Vendors: ${list}.`,
    ...bulkVendors.map(
      (v) => `• \`/newuser ${v} bulk\` — many users at once, pasted as CSV; one approval for the batch.`,
    ),
    `• \`/lookup ${lookupVendors.join('|')} <email|username|name>\` — check whether someone already has an account (only you see the answer).`,
    '• The App Home tab lists your requests and those waiting for your approval.',
    '• Credentials (such as a PAM360 API token) are handed over privately with a one-time *Reveal* button, never in a channel.',
  ].join('\n');
  return { text, blocks: [section(text)] };
}
