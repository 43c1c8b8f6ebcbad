/**
 * view.state.values in Slack's shapes (docs.slack.dev "view_submission payload"). Tests give raw
 * values and the fake shapes them from the element type it finds in the view, or tests build the
 * exact shape with the helpers below.
 */
import type { SlackBlock, SlackElement, SlackOption } from './block-kit-schemas.ts';

/** One element's state, exactly as Slack sends it. */
export type StateValue = { type: string } & Record<string, unknown>;
/** A raw value (string, list of option values or user ids, null for empty) or an exact state. */
export type ValueInput = string | readonly string[] | null | StateValue;
export type ViewValues = Record<string, Record<string, ValueInput>>;

const optionJson = (value: string, text: string = value) => ({
  text: { type: 'plain_text', text, emoji: true },
  value,
});

export const textInput = (value: string | null): StateValue => ({ type: 'plain_text_input', value });
export const staticSelect = (value: string | null, text?: string): StateValue => ({
  type: 'static_select',
  selected_option: value === null ? null : optionJson(value, text),
});
export const multiStaticSelect = (
  values: readonly string[],
  texts: Record<string, string> = {},
): StateValue => ({
  type: 'multi_static_select',
  selected_options: values.map((v) => optionJson(v, texts[v])),
});
export const checkboxes = (values: readonly string[], texts: Record<string, string> = {}): StateValue => ({
  type: 'checkboxes',
  selected_options: values.map((v) => optionJson(v, texts[v])),
});
export const usersSelect = (userId: string | null): StateValue => ({
  type: 'users_select',
  selected_user: userId,
});
export const multiUsersSelect = (userIds: readonly string[]): StateValue => ({
  type: 'multi_users_select',
  selected_users: [...userIds],
});

function optionText(el: SlackElement, value: string): string {
  const all: SlackOption[] = [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g) => g.options)];
  return all.find((o) => o.value === value)?.text.text ?? value;
}

const asList = (v: string | readonly string[] | null): readonly string[] =>
  v === null ? [] : typeof v === 'string' ? [v] : v;
const asOne = (v: string | readonly string[] | null): string | null =>
  v === null || typeof v === 'string' ? v : (v[0] ?? null);

/** Shapes a raw value for the element it belongs to, the way Slack reports that element. */
function shape(el: SlackElement, raw: string | readonly string[] | null): StateValue {
  const texts = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, optionText(el, v)]));
  switch (el.type) {
    case 'static_select':
    case 'radio_buttons': {
      const v = asOne(raw);
      return { type: el.type, selected_option: v === null ? null : optionJson(v, optionText(el, v)) };
    }
    case 'multi_static_select':
      return multiStaticSelect(asList(raw), texts(asList(raw)));
    case 'checkboxes':
      return checkboxes(asList(raw), texts(asList(raw)));
    case 'users_select':
      return usersSelect(asOne(raw));
    case 'multi_users_select':
      return multiUsersSelect(asList(raw));
    case 'datepicker':
      return { type: el.type, selected_date: asOne(raw) };
    default:
      return { type: el.type, value: asOne(raw) };
  }
}

/**
 * What Slack reports for an element the user left alone: its initial value (initial_value,
 * initial_date, initial_option(s)), or empty.
 */
function untouched(el: SlackElement): StateValue {
  const optionValues = (o: unknown): string[] =>
    (Array.isArray(o) ? o : o ? [o] : []).flatMap((x: { value?: unknown }) =>
      typeof x?.value === 'string' ? [x.value] : [],
    );
  switch (el.type) {
    case 'static_select':
    case 'radio_buttons':
      return shape(el, optionValues(el.initial_option)[0] ?? null);
    case 'multi_static_select':
    case 'checkboxes':
      return shape(el, optionValues(el.initial_options));
    case 'datepicker':
      return shape(el, typeof el.initial_date === 'string' ? el.initial_date : null);
    default:
      return shape(el, typeof el.initial_value === 'string' ? el.initial_value : null);
  }
}

/** Every element with state in a view: input elements, plus actions/section elements. */
function stateful(blocks: readonly SlackBlock[]): { blockId: string; el: SlackElement }[] {
  const out: { blockId: string; el: SlackElement }[] = [];
  for (const b of blocks) {
    if (b.block_id === undefined) continue;
    const els = b.type === 'input' ? [b.element] : b.type === 'actions' ? (b.elements ?? []) : [b.accessory];
    for (const el of els) {
      if (el?.action_id !== undefined && el.type !== 'button') out.push({ blockId: b.block_id, el });
    }
  }
  return out;
}

/**
 * Builds state.values for a submission: every stateful element of the view, filled from `given`
 * or left as the view opened it (its initial value, else empty). A value for a block/action the view does not have is a test bug and throws.
 */
export function buildStateValues(
  blocks: readonly SlackBlock[],
  given: ViewValues,
): Record<string, Record<string, StateValue>> {
  const elements = stateful(blocks);
  for (const [blockId, actions] of Object.entries(given)) {
    for (const actionId of Object.keys(actions)) {
      if (!elements.some((e) => e.blockId === blockId && e.el.action_id === actionId)) {
        throw new Error(`fake Slack: the view has no element ${blockId}.${actionId}`);
      }
    }
  }
  const values: Record<string, Record<string, StateValue>> = {};
  for (const { blockId, el } of elements) {
    const actionId = el.action_id ?? '';
    const input = given[blockId]?.[actionId];
    const value =
      input === undefined
        ? untouched(el)
        : input !== null && typeof input === 'object' && 'type' in input
          ? input
          : shape(el, input);
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}
