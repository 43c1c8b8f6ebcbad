import type { AccessRequest } from '../../domain/request.ts';
import type { KnownBlock, View } from '../slack-gateway.ts';
import { actions, divider, header, LIMITS, section, sectionsOf } from './blocks.ts';
import { ACTION } from './ids.ts';
import { bold, esc, link, slackDate } from './mrkdwn.ts';
import { STATUS_LABEL } from './status-label.ts';

export interface HomeRow {
  request: AccessRequest;
  vendorName: string;
  subject: string;
  link: string | null;
}

const row = (r: HomeRow) =>
  `• ${bold(r.vendorName)} — ${r.link ? link(r.link, r.subject) : esc(r.subject)} · ${STATUS_LABEL[r.request.status]} · ${slackDate(r.request.createdAt)}`;

export function renderHomeTab(mine: readonly HomeRow[], awaitingMe: readonly HomeRow[]): View {
  const blocks: KnownBlock[] = [
    header('Access Desk'),
    actions('home_actions', [
      { text: 'Request a new account', actionId: ACTION.openNewUser, value: 'new', style: 'primary' },
    ]),
    divider(),
    section(`*Waiting for your approval* (${awaitingMe.length})`),
    ...(awaitingMe.length ? sectionsOf(awaitingMe.map(row), 20) : [section('_Nothing right now._')]),
    divider(),
    section(`*Your recent requests* (${mine.length})`),
    ...(mine.length
      ? sectionsOf(mine.map(row), 20)
      : [section('_None yet. Use the button above or /newuser._')]),
  ];
  return { type: 'home', blocks: blocks.slice(0, LIMITS.modalBlocks) };
}
