import type { SlackMessage } from '../slack-gateway.ts';
import { message, section } from './blocks.ts';
import { esc } from './mrkdwn.ts';
import type { VendorChoice } from './newuser-modal.ts';

/** Longest piece of an unknown command echoed back. */
const ECHO_MAX = 40;

export function renderHelp(
  vendors: readonly VendorChoice[],
  lookupVendors: readonly string[],
  bulkVendors: readonly string[],
  /** What the user typed, when it was not understood. */
  unknown?: string,
): SlackMessage {
  const list = vendors.map((v) => `\`${esc(v.id)}\` (${esc(v.displayName)})`).join(', ');
  const text = [
    ...(unknown ? [`I don't know “${esc(unknown.slice(0, ECHO_MAX))}”.`] : []),
    '*Access Desk* — request a new account; an approver decides in the approval channel, then I create it and report back in the thread.',
    `• \`/newuser\` — choose where; \`/newuser ${esc(vendors.map((v) => v.id).join('|'))}\` — go straight to the form. Vendors: ${list}.`,
    ...bulkVendors.map(
      (v) =>
        `• \`/newuser ${esc(v)} bulk\` — many users at once from a CSV file (or drop the file in my DM), checked and previewed first; one approval for the batch. \`/newuser ${esc(v)} template\` sends the template.`,
    ),
    '• `/newuser audit [days] [vendor]` — admins: the audit trail as a CSV file in your DM.',
    `• \`/lookup ${esc(lookupVendors.join('|'))} &lt;email|username|name&gt;\` — check whether someone already has an account (only you see the answer).`,
    '• `/newuser status &lt;id&gt;` — where a request is and what it waits for; `/newuser explain &lt;id&gt;` — also who may approve it and which setting says so. The id is on the last line of the card; requester, approvers and admins only.',
    '• The App Home tab lists your requests and those waiting for your approval.',
    '• Credentials (such as a PAM360 API token) are handed over privately with a one-time *Reveal* button, never in a channel.',
  ].join('\n');
  return message(text, [section(text)]);
}

/**
 * A slash command that reached the bot too late to open its form (Slack redelivered it after its
 * 3 s, or it waited in a queue): the trigger_id had expired, so only a message can answer.
 */
export function renderFormTooLate(command: string, text: string): SlackMessage {
  const typed = `${command} ${text}`.trim().slice(0, ECHO_MAX);
  const reply = `:hourglass: Slack handed me \`${esc(typed)}\` too late to open its form (a form must open within 3 seconds). Please run it again.`;
  return message(reply, [section(reply)]);
}
