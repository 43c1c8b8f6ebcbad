/** Thread replies and direct messages about one request. Pure: text in, message out. */
import type { Outcome } from '../../domain/facts.ts';
import type { Approval, RequestStatus } from '../../domain/request.ts';
import type { SlackMessage } from '../slack-gateway.ts';
import { actions, context, esc, LIMITS, section, sectionsOf } from './blocks.ts';
import { ACTION } from './ids.ts';
import { STATUS_LABEL } from './status-label.ts';

const MAX_ITEM_LINES = 60;

export function renderDecisionReply(
  a: Approval,
  approvedCount: number,
  required: number,
  status: RequestStatus,
): SlackMessage {
  const text =
    a.decision === 'deny'
      ? `:no_entry: <@${a.approverId}> denied this request${a.reason ? `: “${esc(a.reason)}”` : '.'}`
      : approvedCount >= required || status !== 'PENDING'
        ? `:white_check_mark: <@${a.approverId}> approved (${approvedCount} of ${required}). Provisioning starts now.`
        : `:white_check_mark: <@${a.approverId}> approved (${approvedCount} of ${required}); waiting for ${required - approvedCount} more.`;
  return { text, blocks: [section(text)] };
}

export function renderNoteReply(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** Per-user lines of a batch result (unless the vendor already worded them), capped for Slack's limits. */
function itemLines(o: Outcome): string[] {
  const items = o.lines.length > 0 ? [] : (o.items ?? []);
  const lines = items
    .slice(0, MAX_ITEM_LINES)
    .map((i) =>
      i.ok
        ? `:white_check_mark: *${esc(i.subject)}* — created${i.id ? `, id \`${esc(i.id)}\`` : ''}`
        : `:x: *${esc(i.subject)}* — ${i.messages.map(esc).join('; ') || 'failed'}`,
    );
  if (items.length > MAX_ITEM_LINES) lines.push(`_… and ${items.length - MAX_ITEM_LINES} more_`);
  return lines;
}

export function renderOutcomeReply(vendorName: string, status: RequestStatus, o: Outcome): SlackMessage {
  const text = `${STATUS_LABEL[status]} — ${vendorName}: ${o.headline}`;
  return {
    text,
    blocks: sectionsOf([`*${text}*`, ...o.lines, ...itemLines(o)], LIMITS.messageBlocks),
  };
}

export interface RequesterNotice {
  vendorName: string;
  subject: string;
  status: RequestStatus;
  outcome?: Outcome;
  denyReason?: string;
  deniedBy?: string;
  cardLink: string | null;
}

export function renderRequesterDm(n: RequesterNotice): SlackMessage {
  const link = n.cardLink ? ` (<${n.cardLink}|see the request>)` : '';
  const lines = [`*${n.vendorName} account for ${esc(n.subject)}: ${STATUS_LABEL[n.status]}*${link}`];
  if (n.status === 'DENIED') {
    lines.push(`Denied by <@${n.deniedBy ?? 'unknown'}>${n.denyReason ? `: “${esc(n.denyReason)}”` : '.'}`);
  }
  if (n.status === 'EXPIRED')
    lines.push('Nobody decided in time. Send it again with /newuser if it is still needed.');
  if (n.outcome) lines.push(n.outcome.headline, ...n.outcome.lines, ...itemLines(n.outcome));
  return { text: lines[0]!.replace(/\*/g, ''), blocks: sectionsOf(lines, LIMITS.messageBlocks) };
}

/** The DM that hands over a credential: only a button, so the secret never enters message history. */
export function renderSecretDm(
  requestId: string,
  subject: string,
  label: string,
  expiresAt: Date,
): SlackMessage {
  const text = `A new ${label} was issued for ${subject}. Reveal it once, privately.`;
  return {
    text,
    blocks: [
      section(
        `:key: A new *${esc(label)}* was issued for *${esc(subject)}*. It is shown once, in a private window, and is deleted after that.`,
      ),
      actions('secret_actions', [
        { text: `Reveal ${label}`, actionId: ACTION.revealToken, value: requestId, style: 'primary' },
      ]),
      context(
        `Available until <!date^${Math.floor(expiresAt.getTime() / 1000)}^{date_short_pretty} {time}|${expiresAt.toISOString()}>`,
      ),
    ],
  };
}

export function renderSubmittedNotice(
  subject: string,
  vendorName: string,
  cardLink: string | null,
): SlackMessage {
  const where = cardLink ? `<${cardLink}|the approval request>` : 'the approval channel';
  const text = `:inbox_tray: Your ${vendorName} account request for ${esc(subject)} is waiting for approval: ${where}. I will message you with the outcome.`;
  return { text, blocks: [section(text)] };
}
