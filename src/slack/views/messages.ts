/** Thread replies and direct messages about one request. Pure: data in, escaped message out. */
import type { ApprovalPolicy } from '../../domain/approval-policy.ts';
import { whoApproves } from '../../domain/approval-policy.ts';
import type { Outcome } from '../../domain/facts.ts';
import type { Approval, RequestStatus } from '../../domain/request.ts';
import type { ThreadReply } from '../../flows/jobs.ts';
import type { SlackMessage } from '../slack-gateway.ts';
import { actions, context, LIMITS, message, section, sectionsOf } from './blocks.ts';
import { ACTION } from './ids.ts';
import { approverMentions } from './mentions.ts';
import { bold, esc, link, slackDate, userMention } from './mrkdwn.ts';
import { statusLabel } from './status-label.ts';
import { vendorMrkdwn } from './vendor-text.ts';

const MAX_ITEM_LINES = 60;

export function renderDecisionReply(
  a: Approval,
  approvedCount: number,
  required: number,
  status: RequestStatus,
): SlackMessage {
  const who = userMention(a.approverId);
  const text =
    a.decision === 'deny'
      ? `:no_entry: ${who} denied this request${a.reason ? `: “${esc(a.reason)}”` : '.'}`
      : approvedCount >= required || status !== 'PENDING'
        ? `:white_check_mark: ${who} approved (${approvedCount} of ${required}). Provisioning starts now.`
        : `:white_check_mark: ${who} approved (${approvedCount} of ${required}); waiting for ${required - approvedCount} more.`;
  return message(text, [section(text)]);
}

/** A note in the thread: plain text from a flow, after the mention of who did it or who should act. */
export function renderNoteReply(
  note: Extract<ThreadReply, { type: 'note' }>,
  policy: ApprovalPolicy,
): SlackMessage {
  const approvers = note.toApprovers ? `:bell: ${approverMentions(whoApproves(policy))}: ` : '';
  const lead = `${approvers}${note.by ? `${userMention(note.by)} ` : ''}`;
  const text = `${lead}${esc(note.text)}`;
  return message(text, [section(text)]);
}

/** Per-user lines of a batch result (unless the vendor already worded them), capped for Slack's limits. */
function itemLines(o: Outcome): string[] {
  const items = o.lines.length > 0 ? [] : (o.items ?? []);
  const lines = items
    .slice(0, MAX_ITEM_LINES)
    .map((i) =>
      i.ok
        ? `:white_check_mark: ${bold(i.subject)} — created${i.id ? `, id \`${esc(i.id)}\`` : ''}`
        : `:x: ${bold(i.subject)} — ${i.messages.map(esc).join('; ') || 'failed'}`,
    );
  if (items.length > MAX_ITEM_LINES)
    lines.push(`_… and ${items.length - MAX_ITEM_LINES} more in the results file_`);
  return lines;
}

/** The vendor's lines, capped like the items: a batch's every user is in the results file. */
function vendorLines(o: Outcome): string[] {
  const lines = o.lines.slice(0, MAX_ITEM_LINES).map(vendorMrkdwn);
  if (o.lines.length > MAX_ITEM_LINES)
    lines.push(`_… and ${o.lines.length - MAX_ITEM_LINES} more in the results file_`);
  return lines;
}

const outcomeLines = (o: Outcome) => [...vendorLines(o), ...itemLines(o)];

export function renderOutcomeReply(vendorName: string, status: RequestStatus, o: Outcome): SlackMessage {
  // A success's label names the vendor already ("Created in PAM360"); other outcomes say which vendor.
  const text =
    status === 'SUCCEEDED' && o.label
      ? `${statusLabel(status, o)} — ${esc(o.headline)}`
      : `${statusLabel(status, o)} — ${esc(vendorName)}: ${esc(o.headline)}`;
  return message(text, sectionsOf([`*${text}*`, ...outcomeLines(o)], LIMITS.messageBlocks));
}

export interface RequesterNotice {
  vendorName: string;
  subject: string;
  status: RequestStatus;
  outcome?: Outcome;
  denyReason?: string;
  deniedBy?: string;
  justification?: string;
  cardLink: string | null;
}

export function renderRequesterDm(n: RequesterNotice): SlackMessage {
  const title = `${esc(n.vendorName)} account for ${esc(n.subject)}: ${statusLabel(n.status, n.outcome)}`;
  const lines = [`*${title}*${n.cardLink ? ` (${link(n.cardLink, 'see the request')})` : ''}`];
  if (n.justification) lines.push(`Why: ${esc(n.justification)}`);
  if (n.status === 'DENIED') {
    lines.push(
      `Denied by ${n.deniedBy ? userMention(n.deniedBy) : 'an approver'}${n.denyReason ? `: “${esc(n.denyReason)}”` : '.'}`,
    );
  }
  if (n.status === 'EXPIRED')
    lines.push('Nobody decided in time. Send it again with /newuser if it is still needed.');
  if (n.outcome) lines.push(esc(n.outcome.headline), ...outcomeLines(n.outcome));
  return message(title, sectionsOf(lines, LIMITS.messageBlocks));
}

/** The DM that hands over a credential: only a button, so the secret never enters message history. */
export function renderSecretDm(
  requestId: string,
  subject: string,
  label: string,
  expiresAt: Date,
): SlackMessage {
  return message(`A new ${esc(label)} was issued for ${esc(subject)}. Reveal it once, privately.`, [
    section(
      `:key: A new ${bold(label)} was issued for ${bold(subject)}. It is shown once, in a private window, and is deleted after that.`,
    ),
    actions('secret_actions', [
      { text: `Reveal ${label}`, actionId: ACTION.revealToken, value: requestId, style: 'primary' },
    ]),
    context(`Available until ${slackDate(expiresAt)}`),
  ]);
}

export function renderSubmittedNotice(
  subject: string,
  vendorName: string,
  cardLink: string | null,
): SlackMessage {
  const where = cardLink ? link(cardLink, 'the approval request') : 'the approval channel';
  const text = `:inbox_tray: Your ${esc(vendorName)} account request for ${esc(subject)} is waiting for approval: ${where}. I will message you with the outcome.`;
  return message(text, [section(text)]);
}
