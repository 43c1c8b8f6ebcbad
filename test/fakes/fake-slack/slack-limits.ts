/**
 * Slack's published Block Kit and message limits (docs.slack.dev "Block Kit" reference pages for
 * each block and element, chat.postMessage "text" 40,000 chars, views.open "100 blocks"). Slack
 * rejects a surface that breaks any of them; the fake does the same so the bot learns in tests.
 */
import type {
  SlackBlock,
  SlackElement,
  SlackOption,
  SlackViewInput,
  TextObject,
} from './block-kit-schemas.ts';

/** One broken rule: the Slack error code the call fails with, the rule, and where it broke. */
export interface LimitIssue {
  error: string;
  rule: string;
  path: string;
}

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  id: 255,
  viewTitle: 24,
  privateMetadata: 3000,
  selectOptions: 100,
  choiceOptions: 10,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  fileInputFiles: 10,
} as const;

const SELECT_TYPES = new Set(['static_select', 'multi_static_select', 'overflow']);
const CHOICE_TYPES = new Set(['checkboxes', 'radio_buttons']);

class IssueList {
  readonly issues: LimitIssue[] = [];
  readonly error: string;
  constructor(error: string) {
    this.error = error;
  }
  max(value: string | undefined, limit: number, rule: string, path: string): void {
    if (value !== undefined && value.length > limit)
      this.add(`${rule} ≤ ${limit} (got ${value.length})`, path);
  }
  count(items: readonly unknown[] | undefined, limit: number, rule: string, path: string): void {
    if (items !== undefined && items.length > limit)
      this.add(`${rule} ≤ ${limit} (got ${items.length})`, path);
  }
  add(rule: string, path: string, error = this.error): void {
    this.issues.push({ error, rule, path });
  }
}

const textOf = (t: string | TextObject | undefined): string | undefined =>
  typeof t === 'string' ? t : t?.text;

function checkElement(list: IssueList, el: SlackElement, path: string): void {
  list.max(el.action_id, LIMITS.id, 'action_id length', `${path}.action_id`);
  list.max(el.placeholder?.text, LIMITS.placeholder, 'placeholder text', `${path}.placeholder`);
  if (el.type === 'button') {
    list.max(textOf(el.text), LIMITS.buttonText, 'button text', `${path}.text`);
    list.max(el.value, LIMITS.buttonValue, 'button value', `${path}.value`);
    list.max(el.url, LIMITS.buttonUrl, 'button url', `${path}.url`);
  }
  if (el.type === 'file_input') {
    const max = el.max_files;
    if (max !== undefined && (typeof max !== 'number' || max < 1 || max > LIMITS.fileInputFiles))
      list.add(`file_input max_files 1…${LIMITS.fileInputFiles}`, `${path}.max_files`);
  }
  const optionLimit = CHOICE_TYPES.has(el.type) ? LIMITS.choiceOptions : LIMITS.selectOptions;
  if (SELECT_TYPES.has(el.type) || CHOICE_TYPES.has(el.type)) {
    list.count(el.options, optionLimit, `${el.type} options`, `${path}.options`);
    list.count(el.option_groups, LIMITS.selectOptions, `${el.type} option_groups`, `${path}.option_groups`);
  }
  const options = [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g) => g.options)];
  options.forEach((o, i) => {
    list.max(o.text.text, LIMITS.optionText, 'option text', `${path}.options[${i}].text`);
    list.max(o.value, LIMITS.optionValue, 'option value', `${path}.options[${i}].value`);
  });
  checkInitial(list, el, options, path);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Initial values Slack refuses: a date not YYYY-MM-DD, a number out of its bounds, an option not offered. */
function checkInitial(
  list: IssueList,
  el: SlackElement,
  options: readonly SlackOption[],
  path: string,
): void {
  const initial = el.initial_value;
  if (el.type === 'datepicker' && el.initial_date !== undefined && !DATE.test(String(el.initial_date)))
    list.add('datepicker initial_date must be YYYY-MM-DD', `${path}.initial_date`);
  if (el.type === 'number_input') {
    if (typeof el.is_decimal_allowed !== 'boolean')
      list.add('number_input needs is_decimal_allowed', `${path}.is_decimal_allowed`);
    const n = initial === undefined ? undefined : Number(initial);
    if (n !== undefined && (Number.isNaN(n) || (el.is_decimal_allowed === false && !Number.isInteger(n))))
      list.add('number_input initial_value must be a number of its kind', `${path}.initial_value`);
    const [min, max] = [el.min_value, el.max_value].map((b) => (b === undefined ? undefined : Number(b)));
    if (Number.isNaN(min) || Number.isNaN(max)) list.add('number_input bounds must be numbers', path);
    if (n !== undefined && ((min !== undefined && n < min) || (max !== undefined && n > max)))
      list.add('number_input initial_value outside min_value..max_value', `${path}.initial_value`);
  }
  if (el.type === 'plain_text_input' && typeof initial === 'string' && typeof el.max_length === 'number')
    list.max(initial, el.max_length, 'plain_text_input initial_value', `${path}.initial_value`);
  const offered = new Set(options.map((o) => o.value));
  const chosen = [el.initial_option, ...(Array.isArray(el.initial_options) ? el.initial_options : [])];
  for (const o of chosen) {
    if (o === undefined) continue;
    const value = (o as { value?: unknown }).value;
    if (typeof value !== 'string' || !offered.has(value))
      list.add(`${el.type} initial option must be one of its options`, `${path}.initial_option`);
  }
}

function checkBlock(list: IssueList, block: SlackBlock, path: string): void {
  list.max(block.block_id, LIMITS.id, 'block_id length', `${path}.block_id`);
  switch (block.type) {
    case 'section':
      if (block.text === undefined && (block.fields ?? []).length === 0) {
        list.add('section needs text or fields', path);
      }
      list.max(block.text?.text, LIMITS.sectionText, 'section text', `${path}.text`);
      list.count(block.fields, LIMITS.sectionFields, 'section fields', `${path}.fields`);
      block.fields?.forEach((f, i) => {
        list.max(f.text, LIMITS.sectionFieldText, 'section field text', `${path}.fields[${i}]`);
      });
      if (block.accessory) checkElement(list, block.accessory, `${path}.accessory`);
      break;
    case 'header':
      if (block.text?.type !== 'plain_text') list.add('header text must be plain_text', `${path}.text`);
      list.max(block.text?.text, LIMITS.headerText, 'header text', `${path}.text`);
      break;
    case 'context':
      list.count(block.elements, LIMITS.contextElements, 'context elements', `${path}.elements`);
      break;
    case 'actions':
      list.count(block.elements, LIMITS.actionsElements, 'actions elements', `${path}.elements`);
      block.elements?.forEach((el, i) => {
        checkElement(list, el, `${path}.elements[${i}]`);
      });
      break;
    case 'input':
      list.max(block.label?.text, LIMITS.inputLabel, 'input label', `${path}.label`);
      list.max(block.hint?.text, LIMITS.inputLabel, 'input hint', `${path}.hint`);
      if (block.element) checkElement(list, block.element, `${path}.element`);
      else list.add('input needs an element', path);
      break;
  }
}

function checkBlocks(list: IssueList, blocks: readonly SlackBlock[], limit: number): void {
  list.count(blocks, limit, 'blocks', 'blocks');
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(list, b, `blocks[${i}]`);
    if (b.block_id === undefined) return;
    if (seen.has(b.block_id)) list.add(`duplicate block_id ${b.block_id}`, `blocks[${i}].block_id`);
    seen.add(b.block_id);
  });
}

/** A message-like surface: chat.postMessage / update / postEphemeral / response_url bodies. */
export interface MessageContent {
  text?: string | undefined;
  blocks?: readonly SlackBlock[] | undefined;
  attachments?: readonly unknown[] | undefined;
}

export function checkMessage(m: MessageContent): LimitIssue[] {
  const list = new IssueList('invalid_blocks');
  const hasText = m.text !== undefined && m.text.length > 0;
  if (!hasText && (m.blocks ?? []).length === 0 && (m.attachments ?? []).length === 0) {
    list.add('message needs text or blocks', 'text', 'no_text');
  }
  if (m.text !== undefined && m.text.length > LIMITS.messageText) {
    list.add(`message text ≤ ${LIMITS.messageText} (got ${m.text.length})`, 'text', 'msg_too_long');
  }
  checkBlocks(list, m.blocks ?? [], LIMITS.messageBlocks);
  return list.issues;
}

export function checkView(v: SlackViewInput): LimitIssue[] {
  const list = new IssueList('invalid_arguments');
  checkBlocks(list, v.blocks, LIMITS.viewBlocks);
  list.max(v.private_metadata, LIMITS.privateMetadata, 'private_metadata', 'view.private_metadata');
  list.max(v.callback_id, LIMITS.id, 'callback_id length', 'view.callback_id');
  if (v.type === 'modal') {
    if (v.title === undefined) list.add('modal needs a title', 'view.title');
    list.max(v.title?.text, LIMITS.viewTitle, 'modal title', 'view.title');
    list.max(v.submit?.text, LIMITS.viewTitle, 'modal submit', 'view.submit');
    list.max(v.close?.text, LIMITS.viewTitle, 'modal close', 'view.close');
    if (v.submit === undefined && v.blocks.some((b) => b.type === 'input')) {
      list.add('modal with input blocks needs submit', 'view.submit');
    }
  }
  return list.issues;
}

const LINK = /https?:\/\//i;

/**
 * DESIGN.md: no unfurls on any message carrying a link (a request card must not pull previews of
 * vendor URLs into the channel). Slack accepts such a message, so this is a violation, not an error.
 */
export function checkUnfurl(
  m: MessageContent & { unfurl_links?: boolean | undefined; unfurl_media?: boolean | undefined },
): LimitIssue[] {
  const carriesLink = LINK.test(m.text ?? '') || LINK.test(JSON.stringify(m.blocks ?? []));
  if (!carriesLink || (m.unfurl_links === false && m.unfurl_media === false)) return [];
  return [
    { error: 'unfurl_not_disabled', rule: 'link needs unfurl_links:false and unfurl_media:false', path: '' },
  ];
}
