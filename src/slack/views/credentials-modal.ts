/**
 * Views of a multi-line credential (the `username,password` block of generated passwords) and of a
 * reveal whose modal could not open. One modal holds the whole block, cut at line ends into code
 * blocks that each fit a section (3000 characters; a batch of 1000 users needs about 30).
 */
import type { View } from '../slack-gateway.ts';
import { LIMITS, section } from './blocks.ts';
import { esc } from './mrkdwn.ts';
import { COPY_NOW, credentialModal } from './token-modal.ts';

const FENCE = '```';

/** Lines grouped so that each group, escaped and fenced, fits one section. */
function pages(value: string): string[] {
  const room = LIMITS.sectionText - 2 * FENCE.length - 2;
  const out: string[] = [];
  let page = '';
  for (const line of value.split('\n').map(esc)) {
    const next = page ? `${page}\n${line}` : line;
    if (next.length > room && page) {
      out.push(page);
      page = line;
    } else page = next;
  }
  if (page) out.push(page);
  return out;
}

/** Whether the block fits one modal; a bigger one (thousands of users) is handed over as a file. */
export const credentialsFitModal = (value: string): boolean => pages(value).length <= LIMITS.modalBlocks - 2;

export function renderCredentialsModal(label: string, subject: string, value: string): View {
  const parts = pages(value);
  return credentialModal([
    section(`*${esc(label)}* for *${esc(subject)}*${parts.length > 1 ? ` (${parts.length} parts)` : ''}:`),
    ...parts.slice(0, LIMITS.modalBlocks - 2).map((p) => section(`${FENCE}\n${p}\n${FENCE}`)),
    section(COPY_NOW),
  ]);
}

/** Said privately when the modal did not open; nothing was shown, so nothing was deleted. */
export const renderRevealRetryText = (label: string): string =>
  `:hourglass: Slack did not open the window in time, so the ${esc(label)} was not shown and is still waiting. Click *Reveal* again.`;
