/**
 * The approval card: a pure function of the stored request (Teleport's habit). Every change
 * re-renders the whole card; buttons exist only while someone can still act on them.
 */
import type { ApprovalPolicy } from '../../domain/approval-policy.ts';
import { approverMentions } from '../../domain/approval-policy.ts';
import type { Facts } from '../../domain/facts.ts';
import type { AccessRequest, Approval } from '../../domain/request.ts';
import type { PayloadDescription } from '../../vendors/provisioner.ts';
import type { KnownBlock, SlackMessage } from '../slack-gateway.ts';
import { actions, context, divider, esc, header, LIMITS, section, sectionsOf, slackTime } from './blocks.ts';
import { ACTION, BLOCK } from './ids.ts';
import { STATUS_LABEL } from './status-label.ts';

export interface CardInput {
  request: AccessRequest;
  facts: Facts;
  vendorName: string;
  description: PayloadDescription;
  approvals: readonly Approval[];
  policy: ApprovalPolicy;
  expiresAt: Date;
}

/** Button value binding a decision to the payload the approver saw. */
export const decisionValue = (req: AccessRequest) => JSON.stringify({ r: req.id, h: req.payloadHash });

function precheckLines(req: AccessRequest, facts: Facts): string[] {
  const p = facts.precheck;
  if (!p) return req.status === 'PENDING' ? [':mag: _Checking whether this user already exists…_'] : [];
  const head =
    p.state === 'exists'
      ? ':warning: *Already exists* — approving will not create a second account.'
      : p.state === 'absent'
        ? ':mag: Not found at the vendor: a new account will be created.'
        : ':grey_question: Could not confirm whether this user exists.';
  return [head, ...p.notes.map((n) => `• ${n}`)];
}

function decisionLines(approvals: readonly Approval[]): string[] {
  return approvals.map((a) =>
    a.decision === 'approve'
      ? `:white_check_mark: Approved by <@${a.approverId}> ${slackTime(a.decidedAt)}`
      : `:no_entry: Denied by <@${a.approverId}> ${slackTime(a.decidedAt)}${a.reason ? `: “${esc(a.reason)}”` : ''}`,
  );
}

function outcomeLines(req: AccessRequest, facts: Facts): string[] {
  const lines: string[] = [];
  if (facts.progress && req.status === 'PROVISIONING')
    lines.push(`:repeat: Attempt ${facts.progress.attempt}: ${esc(facts.progress.note)}`);
  if (facts.outcome) lines.push(`*${facts.outcome.headline}*`, ...facts.outcome.lines);
  return lines;
}

export function renderRequestCard(input: CardInput): SlackMessage {
  const { request: req, facts, approvals, policy } = input;
  const approved = approvals.filter(
    (a) => a.decision === 'approve' && a.payloadHash === req.payloadHash,
  ).length;
  const status =
    req.status === 'PENDING'
      ? `${STATUS_LABEL.PENDING} (${approved} of ${policy.requiredApprovals})`
      : STATUS_LABEL[req.status];

  const blocks: KnownBlock[] = [
    header(`${input.vendorName}: new account for ${input.description.subject}`),
    section(`*Requested by* <@${req.requesterId}> ${slackTime(req.createdAt)}\n*Status:* ${status}`),
    ...sectionsOf(
      ['*What will be sent*', ...input.description.lines.map((l) => `*${esc(l.label)}:* ${esc(l.value)}`)],
      10,
    ),
    ...sectionsOf(precheckLines(req, facts), 4),
  ];
  const decided = decisionLines(approvals);
  if (decided.length) blocks.push(...sectionsOf(decided, 6));
  const outcome = outcomeLines(req, facts);
  if (outcome.length) blocks.push(divider(), ...sectionsOf(outcome, 20));

  if (req.status === 'PENDING') {
    blocks.push(
      actions(BLOCK.cardActions, [
        { text: 'Approve', actionId: ACTION.approve, value: decisionValue(req), style: 'primary' },
        { text: 'Deny', actionId: ACTION.deny, value: decisionValue(req), style: 'danger' },
        { text: 'Cancel request', actionId: ACTION.cancel, value: req.id },
      ]),
      context(
        `Approvers: ${approverMentions(policy)} · expires ${slackTime(input.expiresAt)} · id \`${req.id}\``,
      ),
    );
  } else if (req.status === 'NEEDS_ATTENTION') {
    blocks.push(
      actions(BLOCK.cardActions, [
        { text: 'Check again and retry', actionId: ACTION.retry, value: req.id, style: 'primary' },
      ]),
      context(`Admins: retrying asks the vendor first whether the account exists · id \`${req.id}\``),
    );
  } else {
    blocks.push(context(`id \`${req.id}\``));
  }
  return {
    text: `${input.vendorName} account request for ${input.description.subject}: ${STATUS_LABEL[req.status]}`,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}
