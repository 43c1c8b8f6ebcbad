/** The fake refuses initial values Slack refuses, and reports untouched inputs as Slack does. */
import { describe, expect, it } from 'vitest';
import type { SlackBlock } from '../../fakes/fake-slack/block-kit-schemas.ts';
import { checkView } from '../../fakes/fake-slack/slack-limits.ts';
import { buildStateValues } from '../../fakes/fake-slack/view-values.ts';

const input = (block_id: string, element: Record<string, unknown>): SlackBlock => ({
  type: 'input',
  block_id,
  label: { type: 'plain_text', text: block_id },
  element: { action_id: 'value', ...element, type: String(element.type) },
});
const modal = (...blocks: SlackBlock[]) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: 'T' },
  submit: { type: 'plain_text' as const, text: 'Go' },
  blocks,
});
const opt = (v: string) => ({ text: { type: 'plain_text' as const, text: v }, value: v });

describe('fake Slack: initial values', () => {
  it('refuses a bad initial date, a number out of bounds or with decimals, a missing is_decimal_allowed, an option not offered, text past max_length', () => {
    const rules = (b: SlackBlock) => checkView(modal(b)).map((i) => i.rule);
    expect(rules(input('d', { type: 'datepicker', initial_date: '30/06/2027' }))).toEqual([
      'datepicker initial_date must be YYYY-MM-DD',
    ]);
    expect(rules(input('d', { type: 'datepicker', initial_date: '2027-06-30' }))).toEqual([]);
    expect(rules(input('n', { type: 'number_input', initial_value: '5' }))).toEqual([
      'number_input needs is_decimal_allowed',
    ]);
    expect(
      rules(
        input('n', { type: 'number_input', is_decimal_allowed: false, min_value: '1', initial_value: '0' }),
      ),
    ).toEqual(['number_input initial_value outside min_value..max_value']);
    expect(
      rules(input('n', { type: 'number_input', is_decimal_allowed: false, initial_value: '1.5' })),
    ).toEqual(['number_input initial_value must be a number of its kind']);
    expect(
      rules(input('s', { type: 'static_select', options: [opt('a')], initial_option: opt('b') })),
    ).toEqual(['static_select initial option must be one of its options']);
    expect(rules(input('t', { type: 'plain_text_input', max_length: 3, initial_value: 'long' }))).toEqual([
      'plain_text_input initial_value ≤ 3 (got 4)',
    ]);
  });

  it('reports an untouched input with its initial value, in Slack’s shape for the element', () => {
    const blocks = [
      input('d', { type: 'datepicker', initial_date: '2027-06-30' }),
      input('n', { type: 'number_input', is_decimal_allowed: false, initial_value: '7' }),
      input('m', { type: 'multi_static_select', options: [opt('a'), opt('b')], initial_options: [opt('b')] }),
      input('t', { type: 'plain_text_input' }),
    ];
    expect(buildStateValues(blocks, { t: { value: 'typed' } })).toMatchObject({
      d: { value: { type: 'datepicker', selected_date: '2027-06-30' } },
      n: { value: { type: 'number_input', value: '7' } },
      m: { value: { type: 'multi_static_select', selected_options: [{ value: 'b' }] } },
      t: { value: { type: 'plain_text_input', value: 'typed' } },
    });
  });
});
