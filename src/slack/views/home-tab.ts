import type { AccessRequest } from '../../domain/request.ts';
import type { KnownBlock, View } from '../slack-gateway.ts';
import { actions, context, divider, header, LIMITS, section, sectionsOf } from './blocks.ts';
import { ACTION } from './ids.ts';
import { bold, esc, link, slackDate, userMention } from './mrkdwn.ts';
import { decisionValue } from './request-card.ts';
import { STATUS_LABEL } from './status-label.ts';

export interface HomeRow {
  request: AccessRequest;
  vendorName: string;
  subject: string;
  link: string | null;
}

export interface HomeInput {
  mine: readonly HomeRow[];
  /** Pending requests this user may approve and has not approved yet: Approve and Deny here. */
  awaiting: readonly HomeRow[];
  /** Requests whose outcome is unknown, for admins and the vendor's approvers: Retry here. */
  attention: readonly HomeRow[];
  /** Plain-mrkdwn line at the top, e.g. why a click changed nothing. */
  notice?: string;
}

/** Rows with buttons, at most this many per list (two blocks each, within a view's 100 blocks). */
export const HOME_ACTION_ROWS = 10;

const row = (r: HomeRow) =>
  `• ${bold(r.vendorName)} — ${r.link ? link(r.link, r.subject) : esc(r.subject)} · ${STATUS_LABEL[r.request.status]} · ${slackDate(r.request.createdAt)}`;

const titled = (r: HomeRow, extra = '') =>
  section(
    `${bold(r.vendorName)} — ${r.link ? link(r.link, r.subject) : esc(r.subject)}\nRequested by ${userMention(r.request.requesterId)} ${slackDate(r.request.createdAt)}${extra}`,
  );

/** The card's own buttons and values, so a click here runs the same checks, payload hash included. */
function decideRow(r: HomeRow, i: number): KnownBlock[] {
  return [
    titled(r),
    actions(`home_decide_${i}`, [
      { text: 'Approve', actionId: ACTION.approve, value: decisionValue(r.request), style: 'primary' },
      { text: 'Deny', actionId: ACTION.deny, value: decisionValue(r.request), style: 'danger' },
      { text: 'Explain', actionId: ACTION.explain, value: r.request.id },
    ]),
  ];
}

function retryRow(r: HomeRow, i: number): KnownBlock[] {
  return [
    titled(r, ` · ${STATUS_LABEL.NEEDS_ATTENTION}`),
    actions(`home_retry_${i}`, [
      { text: 'Check again and retry', actionId: ACTION.retry, value: r.request.id, style: 'primary' },
      { text: 'Explain', actionId: ACTION.explain, value: r.request.id },
    ]),
  ];
}

function list(
  title: string,
  rows: readonly HomeRow[],
  render: (r: HomeRow, i: number) => KnownBlock[],
): KnownBlock[] {
  const shown = rows.slice(0, HOME_ACTION_ROWS);
  return [
    divider(),
    section(`*${title}* (${rows.length})`),
    ...(shown.length ? shown.flatMap(render) : [section('_Nothing right now._')]),
    ...(rows.length > shown.length ? [context(`${rows.length - shown.length} more not shown`)] : []),
  ];
}

export function renderHomeTab(input: HomeInput): View {
  const blocks: KnownBlock[] = [
    header('Access Desk'),
    ...(input.notice ? [section(input.notice)] : []),
    actions('home_actions', [
      { text: 'Request a new account', actionId: ACTION.openNewUser, value: 'new', style: 'primary' },
    ]),
    ...list('Waiting for your approval', input.awaiting, decideRow),
    ...(input.attention.length ? list('Needs attention', input.attention, retryRow) : []),
    divider(),
    section(`*Your recent requests* (${input.mine.length})`),
    ...(input.mine.length
      ? sectionsOf(input.mine.map(row), 20)
      : [section('_None yet. Use the button above or /newuser._')]),
  ];
  return { type: 'home', blocks: blocks.slice(0, LIMITS.modalBlocks) };
}
