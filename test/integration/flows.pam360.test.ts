import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import {
  approve,
  plainText,
  requestAccount,
  waitForCard,
  waitForCardText,
  waitForDm,
  waitForEphemeral,
  waitForReply,
} from './scenario.ts';

describe('PAM360 end to end (Socket Mode)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('request → approve → created; USERID in the thread, AUTHTOKEN only through the Reveal modal', async () => {
    const ack = await requestAccount(h.slack, 'pam360', {
      userType: 'api',
      FIRSTNAME: 'Jason',
      LASTNAME: 'Thomas',
      USERNAME: 'jthomas',
      EMAIL: 'jason@example.com',
    });
    expect(ack.ack?.response_action).toBeUndefined();
    const card = await waitForCard(h.slack, 'pam360');
    expect(plainText(card)).toMatch(/jthomas/);
    await waitForCardText(h.slack, 'pam360', card, /Not found at the vendor/);

    await approve(h.slack, card, USERS.approver1);
    const result = await waitForReply(h.slack, card, /USERID/);
    expect(plainText(result)).toMatch(/Created in PAM360/);
    const final = await waitForCardText(h.slack, 'pam360', card, /Done/);
    expect(final.blocks.some((b) => (b.elements ?? []).some((e) => e.action_id === ACTION.approve))).toBe(
      false,
    );
    expect(h.pam360.createCalls).toBe(1);

    const dm = await waitForDm(h.slack, USERS.requester, /Reveal/);
    const token = [...h.pam360.store.tokens.entries()].find(([, t]) => t.username === 'jthomas')?.[0];
    expect(token).toBeTruthy();
    for (const m of [...h.slack.transcript()]) expect(JSON.stringify(m)).not.toContain(token);

    await h.slack.clickButton({
      user: USERS.requester,
      channel: dm.channel,
      ts: dm.ts,
      actionId: ACTION.revealToken,
    });
    const modal = await h.slack.waitFor(
      () => h.slack.views(USERS.requester).find((v) => JSON.stringify(v.view).includes(token!)),
      { timeoutMs: 5000 },
    );
    expect(modal).toBeTruthy();
    expect(h.slack.violations()).toEqual([]);
  });
});

describe('PAM360 refusals, field errors and lookup', () => {
  let h: Harness;
  beforeAll(async () => {
    // "Auditor" is offered in the modal but unknown to this PAM360: it answers Failed "Invalid role".
    h = await startHarness({ pam360Patch: { roles: ['Auditor', 'Password User'] } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('PAM360 says Failed: FAILED with PAM360’s words in the thread and the DM, no token', async () => {
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Rita',
      LASTNAME: 'Role',
      USERNAME: 'rrole',
      EMAIL: 'rrole@example.com',
      ROLE: 'Auditor',
    });
    const card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.approver1);
    const reply = await waitForReply(h.slack, card, /Refused by the vendor/);
    expect(plainText(reply)).toMatch(/Invalid role/);
    await waitForDm(h.slack, USERS.requester, /rrole.*Invalid role/s);
    expect(h.slack.dms(USERS.requester).some((m) => /Reveal/.test(plainText(m)))).toBe(false);
  });

  it('mandatory fields are refused in the modal, one message per field', async () => {
    const { ack } = await requestAccount(h.slack, 'pam360', { userType: 'normal', EMAIL: 'not-an-email' });
    expect(ack?.response_action).toBe('errors');
    expect(Object.keys(ack?.errors ?? {}).sort()).toEqual(['EMAIL', 'FIRSTNAME', 'LASTNAME', 'USERNAME']);
  });

  it('/lookup pam360 answers privately with the USERID, or says there is no such user', async () => {
    h.pam360.seedUser({ USERNAME: 'known1', FIRSTNAME: 'K', LASTNAME: 'N', EMAIL: 'k@example.com' });
    await h.slack.slashCommand({ user: USERS.approver1, command: '/lookup', text: 'pam360 known1' });
    const found = await waitForEphemeral(h.slack, USERS.approver1, /known1/);
    expect(found.text + JSON.stringify(found.blocks)).toMatch(/USERID/);
    await h.slack.slashCommand({ user: USERS.approver1, command: '/lookup', text: 'pam360 nobody9' });
    await waitForEphemeral(h.slack, USERS.approver1, /no user matches “nobody9”/);
  });
});
