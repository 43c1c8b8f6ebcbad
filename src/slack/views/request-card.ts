/**
 * The approval card: a pure function of the stored request (Teleport's habit). Every change
 * re-renders the whole card; buttons exist only while someone can still act on them.
 */
import { type ApprovalPolicy, whoApproves } from '../../domain/approval-policy.ts';
import type { Facts } from '../../domain/facts.ts';
import type { AccessRequest, Approval } from '../../domain/request.ts';
import type { PayloadDescription } from '../../vendors/provisioner.ts';
import type { KnownBlock, SlackMessage } from '../slack-gateway.ts';
import { actions, context, divider, header, LIMITS, message, section, sectionsOf } from './blocks.ts';
import { ACTION, BLOCK } from './ids.ts';
import { approverMentions } from './mentions.ts';
import { bold, esc, slackDate, userMention } from './mrkdwn.ts';
import { payloadLine, privilegeLine } from './payload-lines.ts';
import { payloadPageValue } from './payload-modal.ts';
import { payloadHeading, statusLabel } from './status-label.ts';
import { vendorMrkdwn } from './vendor-text.ts';

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
  return [head, ...p.notes.map((n) => `• ${vendorMrkdwn(n)}`)];
}

function decisionLines(approvals: readonly Approval[]): string[] {
  return approvals.map((a) =>
    a.decision === 'approve'
      ? `:white_check_mark: Approved by ${userMention(a.approverId)} ${slackDate(a.decidedAt)}`
      : `:no_entry: Denied by ${userMention(a.approverId)} ${slackDate(a.decidedAt)}${a.reason ? `: “${esc(a.reason)}”` : ''}`,
  );
}

function outcomeLines(req: AccessRequest, facts: Facts): string[] {
  const lines: string[] = [];
  if (facts.progress && req.status === 'PROVISIONING')
    lines.push(`:repeat: Attempt ${facts.progress.attempt}: ${esc(facts.progress.note)}`);
  if (facts.outcome) lines.push(bold(facts.outcome.headline), ...facts.outcome.lines.map(vendorMrkdwn));
  return lines;
}

/** Where a batch came from, and how many rows the requester left out (they are not in the payload). */
function bulkSourceLine(b: NonNullable<Facts['bulkSource']>): string {
  const rows = `${b.rows.toLocaleString('en-US')} row${b.rows === 1 ? '' : 's'}`;
  const dropped =
    b.dropped > 0
      ? `${b.dropped.toLocaleString('en-US')} row${b.dropped === 1 ? '' : 's'} with problems left out by the requester`
      : 'every row passed the checks';
  // Counts first: a long file name is what gets clipped.
  return `:page_facing_up: *From file:* ${rows}, ${dropped} — ${esc(b.fileName)}`;
}

/** Users named in a batch card's preview; every user and field is one click away in the modal. */
const PREVIEW_USERS = 20;

/** What will be (or was) sent: every field of one user, or a batch's summary with every privilege it grants. */
function payloadSections(
  requestId: string,
  d: PayloadDescription,
  heading: string,
  facts: Facts,
): KnownBlock[] {
  const blocks = sectionsOf([`*${heading}*`, ...d.lines.map(payloadLine)], 10);
  if (!d.rows) return blocks;
  if (facts.bulkSource) blocks.push(section(bulkSourceLine(facts.bulkSource)));
  const names = d.rows.slice(0, PREVIEW_USERS).map((r) => esc(r.subject));
  const rest = d.rows.length - names.length;
  blocks.push(section(`*Users:* ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`));
  const granted = d.privileges ?? [];
  blocks.push(
    ...sectionsOf(
      [granted.length ? '*Privileges granted*' : '*Privileges granted:* none', ...granted.map(privilegeLine)],
      8,
    ),
    actions(BLOCK.payloadActions, [
      {
        text: `View all ${d.rows.length} users`,
        actionId: ACTION.viewPayload,
        value: payloadPageValue(requestId, 0),
      },
    ]),
  );
  return blocks;
}

function editedLine(edited: NonNullable<Facts['edited']>): string {
  const n = edited.approvalsReset;
  const reset =
    n === 0
      ? ''
      : ` The edit reset ${n} approval${n === 1 ? '' : 's'}: ${n === 1 ? 'it no longer counts' : 'they no longer count'}.`;
  return `:pencil2: *Edited by the requester* ${slackDate(new Date(edited.at))}.${reset}`;
}

export function renderRequestCard(input: CardInput): SlackMessage {
  const { request: req, facts, approvals, policy } = input;
  const approved = approvals.filter(
    (a) => a.decision === 'approve' && a.payloadHash === req.payloadHash,
  ).length;
  const label = statusLabel(req.status, facts.outcome);
  const status = req.status === 'PENDING' ? `${label} (${approved} of ${policy.requiredApprovals})` : label;
  const asked = [
    `*Requested by* ${userMention(req.requesterId)} ${slackDate(req.createdAt)}`,
    `*Status:* ${status}`,
    ...(facts.justification ? [`*Why:* ${esc(facts.justification)}`] : []),
    ...(facts.edited && req.status === 'PENDING' ? [editedLine(facts.edited)] : []),
  ];

  const blocks: KnownBlock[] = [
    header(`${input.vendorName}: new account for ${input.description.subject}`),
    ...sectionsOf(asked, 2),
    ...payloadSections(req.id, input.description, payloadHeading(req.status, facts.outcome), facts),
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
        ...(facts.form ? [{ text: 'Edit', actionId: ACTION.edit, value: req.id }] : []),
        { text: 'Cancel request', actionId: ACTION.cancel, value: req.id },
        { text: 'Explain', actionId: ACTION.explain, value: req.id },
      ]),
      context(
        `Approvers: ${approverMentions(whoApproves(policy))} · expires ${slackDate(input.expiresAt)} · id \`${esc(req.id)}\` · payload ${esc(req.payloadHash.slice(0, 12))}`,
      ),
    );
  } else if (req.status === 'NEEDS_ATTENTION') {
    blocks.push(
      actions(BLOCK.cardActions, [
        { text: 'Check again and retry', actionId: ACTION.retry, value: req.id, style: 'primary' },
        { text: 'Explain', actionId: ACTION.explain, value: req.id },
      ]),
      context(`Admins: retrying asks the vendor first whether the account exists · id \`${esc(req.id)}\``),
    );
  } else {
    blocks.push(context(`id \`${esc(req.id)}\``));
  }
  return message(
    `${esc(input.vendorName)} account request for ${esc(input.description.subject)}: ${label}`,
    blocks.slice(0, LIMITS.messageBlocks),
  );
}
