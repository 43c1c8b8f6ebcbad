/**
 * Small Block Kit builders that enforce Slack's limits where the text is made, so no message is
 * ever refused for length (limits: https://api.slack.com/reference/block-kit/blocks — section text
 * 3000, field 2000, header 150, button text 75, context 10 elements, 50 blocks a message).
 * Builders take mrkdwn that the caller has already escaped (see mrkdwn.ts); plain_text is not parsed.
 */
import type { KnownBlock, SlackMessage } from '../slack-gateway.ts';

export const LIMITS = {
  sectionText: 3000,
  field: 2000,
  header: 150,
  buttonText: 75,
  contextElements: 10,
  messageBlocks: 50,
  modalBlocks: 100,
  modalTitle: 24,
  optionText: 75,
  optionValue: 150,
  options: 100,
  plainInput: 3000,
} as const;

/**
 * Cut to `max` characters, marking the cut. Never inside a `<…>` sequence or an `&…;` entity: in
 * escaped mrkdwn every raw `<` opens a sequence a template wrote, and half of one is not text.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  const amp = kept.lastIndexOf('&');
  if (amp > kept.lastIndexOf(';') && kept.length - amp <= 5) kept = kept.slice(0, amp);
  return `${kept}…`;
}

export const section = (mrkdwn: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(mrkdwn, LIMITS.sectionText) },
});

export const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, LIMITS.header), emoji: true },
});

export const context = (...mrkdwn: string[]): KnownBlock => ({
  type: 'context',
  elements: mrkdwn
    .slice(0, LIMITS.contextElements)
    .map((t) => ({ type: 'mrkdwn', text: clip(t, LIMITS.field) })),
});

export const divider = (): KnownBlock => ({ type: 'divider' });

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

export const button = (b: ButtonSpec) => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text: clip(b.text, LIMITS.buttonText), emoji: true },
  action_id: b.actionId,
  value: b.value,
  ...(b.style ? { style: b.style } : {}),
});

export const actions = (blockId: string, buttons: ButtonSpec[]): KnownBlock => ({
  type: 'actions',
  block_id: blockId,
  elements: buttons.map(button),
});

/** Lines joined into as few sections as fit, never more than `maxBlocks`. */
export function sectionsOf(lines: readonly string[], maxBlocks: number): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMITS.sectionText && current) {
      blocks.push(section(current));
      current = line;
    } else current = next;
  }
  if (current) blocks.push(section(current));
  if (blocks.length <= maxBlocks) return blocks;
  const kept = blocks.slice(0, Math.max(0, maxBlocks - 1));
  kept.push(section(`_… ${blocks.length - kept.length} more section(s) not shown_`));
  return kept;
}

/**
 * A message: `text` is the notification and screen-reader fallback, cut to a section's length
 * (escaping can grow a value fourfold, past chat.postMessage's 40,000 characters).
 */
export const message = (text: string, blocks: KnownBlock[]): SlackMessage => ({
  text: clip(text, LIMITS.sectionText),
  blocks,
});
