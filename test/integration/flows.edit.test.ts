/**
 * The requester edits a pending request (issue 11 §2): the same modal, filled in as stored; the edit
 * is validated again, replaces the payload and its hash, and resets the approvals given so far,
 * which bind to the old hash. A click on a card shown before the edit is refused with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import type { StoredMessage } from '../fakes/fake-slack/index.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { CERT_USER1, pam360User } from './sample-forms.ts';
import {
  approve,
  form,
  openEdit,
  plainText,
  requestAccount,
  WHY,
  waitForCard,
  waitForCardText,
  waitForEphemeral,
  waitForReply,
} from './scenario.ts';

const buttonValue = (m: StoredMessage, actionId: string) =>
  m.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value;

describe('editing a pending request', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('edit after one of two approvals: that approval no longer counts, the card and the thread say so, and the edited payload is what gets created', async () => {
    const h = await startHarness({ vendorPatch: { requiredApprovals: 2 } });
    harness = h;
    await requestAccount(h.slack, 'pam360', pam360User('editme'));
    const card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.approver1);
    const approvedOnce = await waitForCardText(h.slack, 'pam360', card, /Waiting for approval \(1 of 2\)/);
    const staleApprove = buttonValue(approvedOnce, ACTION.approve);

    const modal = await openEdit(h.slack, card);
    expect(modal.view.title?.text).toMatch(/^Edit /);
    // Filled in as stored: the fake reports untouched fields with their initial values, as Slack does.
    expect(JSON.stringify(modal.blocks)).toContain('"initial_value":"editme"');
    expect(JSON.stringify(modal.blocks)).toContain(WHY);
    const saved = await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: form({ EMAIL: 'ann.lee@example.com' }),
    });
    expect(saved.ack?.response_action).toBeUndefined();

    const edited = await waitForCardText(h.slack, 'pam360', card, /The edit reset 1 approval/);
    expect(plainText(edited)).toMatch(/Waiting for approval \(0 of 2\)/);
    expect(plainText(edited)).toContain('ann.lee@example.com');
    expect(plainText(edited)).not.toMatch(/Approved by/);
    await waitForReply(h.slack, card, /edited this request, which reset 1 approval/);

    // A click on the card as it was before the edit is refused, and says why.
    await h.slack.clickButton({
      user: USERS.approver2,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.approve,
      value: staleApprove!,
    });
    await waitForEphemeral(
      h.slack,
      USERS.approver2,
      /requester edited this request after it was shown to you/,
    );

    // The earlier approval does not count: one fresh approval leaves it waiting for one more.
    await approve(h.slack, card, USERS.approver2);
    await waitForCardText(h.slack, 'pam360', card, /Waiting for approval \(1 of 2\)/);
    expect(h.pam360.createCalls).toBe(0);
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Created in PAM360/);
    expect(h.pam360.createCalls).toBe(1);
    expect(h.pam360.store.find('editme')?.EMAIL).toBe('ann.lee@example.com');

    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    const audit = await h.runtime.store.listAudit(req!.id);
    expect(audit.find((e) => e.action === 'edited')?.detail).toMatchObject({
      changed: ['EMAIL'],
      approvalsReset: 1,
      resetApprovers: [USERS.approver1],
    });
  });

  it('only the requester may edit, only while pending; the edit is validated with the same rules', async () => {
    const h = await startHarness();
    harness = h;
    await requestAccount(h.slack, 'pam360', pam360User('onlyme'));
    const card = await waitForCard(h.slack, 'pam360');
    await h.slack.clickButton({
      user: USERS.approver1,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.edit,
    });
    await waitForEphemeral(h.slack, USERS.approver1, /Only the requester can edit/);

    const modal = await openEdit(h.slack, card);
    const bad = await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: form({ EMAIL: 'not-an-email', justification: null }),
    });
    expect(bad.ack?.errors?.EMAIL).toMatch(/email address/);
    expect(bad.ack?.errors?.justification).toMatch(/Say why/);
    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    expect(req?.version).toBeLessThanOrEqual(2);
    expect(req?.payload).toMatchObject({ operation: { Details: { EMAIL: 'onlyme@example.com' } } });

    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Created in PAM360/);
    const final = h.slack.message(card.channel, card.ts)!;
    expect(buttonValue(final, ACTION.edit)).toBeUndefined();
    // The modal was still open: saving it now is refused where the requester typed.
    const late = await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: form({ EMAIL: 'late@example.com' }),
    });
    expect(Object.values(late.ack?.errors ?? {}).join(' ')).toMatch(
      /Only a request still waiting for approval/,
    );
    expect(h.pam360.store.find('onlyme')?.EMAIL).toBe('onlyme@example.com');
  });

  it('typed passwords stay sealed through an edit: never echoed into the form, typed again, the new one is sent', async () => {
    const h = await startHarness({ certPatch: { userPasswords: 'typed' } });
    harness = h;
    await requestAccount(h.slack, 'cert', { ...CERT_USER1, password: 'Typed123!pw' });
    const card = await waitForCard(h.slack, 'cert');
    const modal = await openEdit(h.slack, card);
    const password = modal.blocks.find((b) => b.block_id === 'password');
    expect(password?.element).not.toHaveProperty('initial_value');
    expect(password?.hint?.text).toMatch(/Type it again/);
    const missing = await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: form({ lastName: 'Renamed' }),
    });
    expect(missing.ack?.errors?.password).toBeTruthy();
    await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: form({ lastName: 'Renamed', password: 'Newer456!pw' }),
    });
    await waitForCardText(h.slack, 'cert', card, /Edited by the requester/);
    const [req] = await h.runtime.store.listRequests({ vendor: 'cert' });
    expect(JSON.stringify([req?.payload, req?.facts])).not.toMatch(/Typed123|Newer456/);
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /1 created/);
    expect(h.cert.passwordOf('testuser1')).toBe('Newer456!pw');
    for (const e of h.slack.transcript()) expect(JSON.stringify(e)).not.toMatch(/Typed123|Newer456/);
    expect(h.logText()).not.toMatch(/Typed123|Newer456/);
  });
});
