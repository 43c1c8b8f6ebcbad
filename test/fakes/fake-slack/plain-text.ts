/** Renders Block Kit as readable lines, for the sandbox transcript and for test assertions. */
import type { SlackBlock, SlackElement, TextObject } from './block-kit-schemas.ts';

const textOf = (t: string | TextObject | undefined): string => (typeof t === 'string' ? t : (t?.text ?? ''));

function renderElement(el: SlackElement): string {
  switch (el.type) {
    case 'button':
      return `[${textOf(el.text)}]`;
    case 'image':
      return `[image: ${el.alt_text ?? ''}]`;
    case 'plain_text':
    case 'mrkdwn':
      return textOf(el.text);
    default:
      return `[${el.type}${el.placeholder ? `: ${el.placeholder.text}` : ''}]`;
  }
}

/** rich_text nests sections of typed runs; collect every `text` leaf in order. */
function richText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  if ('text' in node && typeof node.text === 'string') return node.text;
  if ('elements' in node && Array.isArray(node.elements)) return node.elements.map(richText).join('');
  return '';
}

function renderBlock(block: SlackBlock): string {
  switch (block.type) {
    case 'header':
      return `# ${textOf(block.text)}`;
    case 'section': {
      const parts = [textOf(block.text), ...(block.fields ?? []).map(textOf)].filter(Boolean);
      const accessory = block.accessory ? ` ${renderElement(block.accessory)}` : '';
      return `${parts.join('\n')}${accessory}`;
    }
    case 'context':
      return (block.elements ?? []).map(renderElement).join(' · ');
    case 'actions':
      return (block.elements ?? []).map(renderElement).join(' ');
    case 'divider':
      return '---';
    case 'input':
      return `${textOf(block.label)}: ${block.element ? renderElement(block.element) : ''}`;
    case 'image':
      return `[image: ${block.alt_text ?? ''}]`;
    case 'rich_text':
      return richText(block);
    default:
      return `[${block.type}]`;
  }
}

/** Blocks when there are any (that is what users see), else the fallback text. */
export function plainText(message: {
  text?: string | undefined;
  blocks?: readonly SlackBlock[] | undefined;
}): string {
  const blocks = message.blocks ?? [];
  if (blocks.length === 0) return message.text ?? '';
  return blocks.map(renderBlock).join('\n');
}
