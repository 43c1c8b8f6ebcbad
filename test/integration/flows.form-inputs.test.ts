/**
 * Dates and whole numbers are picked, not typed (issue 11 §6): the PAM360 form's expiry date is a
 * datepicker and its token validity a number_input; the fake reports them in Slack's own state
 * shapes (`selected_date`, `value`), and the Edit modal opens with them filled in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStateValues } from '../fakes/fake-slack/view-values.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { approve, form, modalOpenedBy, openEdit, WHY, waitForCard, waitForReply } from './scenario.ts';

describe('date and number fields', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a PAM360 API user’s expiry date comes from a datepicker and its token validity from a number_input', async () => {
    const modal = await modalOpenedBy(h.slack, USERS.requester, () =>
      h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'pam360' }),
    );
    const values = form({
      justification: WHY,
      userType: 'api',
      FIRSTNAME: 'Api',
      LASTNAME: 'Bot',
      USERNAME: 'datebot',
      EMAIL: 'datebot@example.com',
      TOKENVALIDITYDAYS: '30',
      EXPIRYDATE: '2027-06-30',
    });
    // What Slack sends for these elements (the fake shapes it from the element type in the view).
    const state = buildStateValues(modal.blocks, values);
    expect(state.EXPIRYDATE).toEqual({ value: { type: 'datepicker', selected_date: '2027-06-30' } });
    expect(state.TOKENVALIDITYDAYS).toEqual({ value: { type: 'number_input', value: '30' } });
    const { ack } = await h.slack.submitView({ user: USERS.requester, viewId: modal.id, values });
    expect(ack?.response_action).toBeUndefined();

    const card = await waitForCard(h.slack, 'pam360');
    const edit = await openEdit(h.slack, card);
    const element = (id: string) => edit.blocks.find((b) => b.block_id === id)?.element;
    expect(element('EXPIRYDATE')).toMatchObject({ type: 'datepicker', initial_date: '2027-06-30' });
    expect(element('TOKENVALIDITYDAYS')).toMatchObject({
      type: 'number_input',
      is_decimal_allowed: false,
      min_value: '1',
      initial_value: '30',
    });
    await h.slack.closeView({ user: USERS.requester, viewId: edit.id });

    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Created in PAM360/);
    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    expect(req?.payload).toMatchObject({
      operation: { Details: { EXPIRYDATE: '2027-06-30', TOKENVALIDITYDAYS: 30 } },
    });
    expect(h.slack.violations()).toEqual([]);
  });
});
