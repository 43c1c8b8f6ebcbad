/** /newuser status|explain and the card's Explain button: the answer, only for the asker. */

import { readFacts } from '../../domain/facts.ts';
import type { DecideAnswer, Explanation } from '../../flows/explain-request.ts';
import type { SlackMessage, View } from '../slack-gateway.ts';
import { LIMITS, message, sectionsOf } from './blocks.ts';
import { approverMentions } from './mentions.ts';
import { bold, esc, groupMention, link, slackDate, userMention } from './mrkdwn.ts';
import { statusLabel } from './status-label.ts';

export interface ExplainView {
  explanation: Explanation;
  vendorName: string;
  subject: string;
  cardLink: string | null;
  /** explain: who may approve and why, with the settings; status: where it is and what is missing. */
  detail: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const code = (name: string) => `\`${esc(name)}\``;

function youLine(e: Explanation): string {
  const you: DecideAnswer = e.you;
  if (you.can) return 'You can approve or deny it (the buttons on the card).';
  switch (you.why) {
    case 'not-pending':
      return 'Nothing is left to decide.';
    case 'other-workspace':
      return 'You cannot decide it: it belongs to another Slack workspace.';
    case 'requester':
      return 'You asked for it; its approvers decide.';
    case 'not-approver':
      return `You cannot decide it: you are not one of its approvers (${code(e.settings.approvers)}, ${code(e.settings.approverGroups)}).`;
    case 'self-approval-off':
      return `You cannot approve it: you asked for it, and self-approval is off (${code(e.settings.allowSelfApproval)}).`;
    case 'already-approved':
      return 'You already approved this version; another approver has to add theirs.';
  }
}

function whereLine(e: Explanation): string {
  const label = statusLabel(e.status, readFacts(e.request.facts).outcome);
  if (e.status !== 'PENDING') {
    const denial = e.denial
      ? ` by ${userMention(e.denial.by)}${e.denial.reason ? `: “${esc(e.denial.reason)}”` : ''}`
      : '';
    return `${label}${e.status === 'DENIED' ? denial : ''}`;
  }
  const by = e.approvedBy.length ? ` (approved by ${e.approvedBy.map(userMention).join(', ')})` : '';
  return `${label}: ${e.approvedBy.length} of ${e.policy.requiredApprovals} approvals${by}; ${plural(e.missing, 'more approval')} needed.`;
}

function whoLines(e: Explanation): string[] {
  const { policy, settings } = e;
  const users = policy.approvers.length
    ? `${policy.approvers.map(userMention).join(', ')} (named in ${code(settings.approvers)})`
    : '';
  const groups = policy.approverGroups.length
    ? `members of ${policy.approverGroups.map(groupMention).join(', ')} (${code(settings.approverGroups)})`
    : '';
  const who = [users, groups].filter(Boolean).join('; ') || approverMentions({ users: [], groups: [] });
  const yours =
    e.roles.includes('approver') && !policy.approvers.includes(e.request.requesterId) && e.viewerGroups.length
      ? ` You are an approver as a member of ${e.viewerGroups.map(groupMention).join(', ')}.`
      : '';
  return [
    `*Who may approve:* ${who}.${yours}`,
    `*Approvals needed:* ${policy.requiredApprovals} from different approvers (${code(settings.requiredApprovals)}); self-approval is ${policy.allowSelfApproval ? 'on' : 'off'} (${code(settings.allowSelfApproval)}). An edit by the requester resets the approvals given so far.`,
  ];
}

function timeLines(e: Explanation, detail: boolean): string[] {
  if (!e.expiresAt) return [];
  const why = detail ? ` (${code(e.settings.expireAfterHours)}=${e.expireAfterHours})` : '';
  const lines = [`*Expires:* ${slackDate(e.expiresAt)} if nobody decides by then${why}.`];
  if (e.reminders.length) {
    const when = e.reminders.map((r) => `${slackDate(r.at)}${r.sent ? ' (sent)' : ''}`).join(', ');
    lines.push(
      `*Reminders to the approvers:* ${when}${detail ? ` (${code(e.settings.remindAfterHours)}; checked every minute)` : ''}.`,
    );
  }
  return lines;
}

export function renderExplanation(v: ExplainView): SlackMessage {
  const e = v.explanation;
  const title = `${v.vendorName} request for ${v.subject}`;
  const lines = [
    `${bold(title)}${v.cardLink ? ` (${link(v.cardLink, 'see the card')})` : ''} · id \`${esc(e.request.id)}\``,
    `*Where it is:* ${whereLine(e)}`,
    ...(v.detail ? whoLines(e) : []),
    `*You:* ${youLine(e)}`,
    ...timeLines(e, v.detail),
  ];
  return message(`${esc(title)}: ${statusLabel(e.status)}`, sectionsOf(lines, LIMITS.messageBlocks));
}

/** How to ask, when the id is missing. */
export function renderExplainUsage(verb: string): SlackMessage {
  const text = `Give the request id after \`/newuser ${esc(verb)}\`: it is on the last line of the approval card, e.g. \`/newuser ${esc(verb)} 0f8c2a4e-…\`.`;
  return message(text, sectionsOf([text], 1));
}

/** The same answer in a modal (a click on the App Home has nowhere else to answer privately). */
export function renderExplainModal(m: SlackMessage): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Explain' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: m.blocks?.length ? m.blocks : sectionsOf([m.text], 1),
  };
}
