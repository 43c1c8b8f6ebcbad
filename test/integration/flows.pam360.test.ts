import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import {
  approve,
  plainText,
  requestAccount,
  revealInitialPassword,
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
    const final = await waitForCardText(h.slack, 'pam360', card, /Created in PAM360/);
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

describe('PAM360 normal users: generated initial password (PAM360_USER_PASSWORDS=generate)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('nobody types it; PAM360 gets one meeting its policy; the requester reveals it exactly once', async () => {
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Gene',
      LASTNAME: 'Rated',
      USERNAME: 'grated',
      EMAIL: 'gene@example.com',
    });
    const card = await waitForCard(h.slack, 'pam360', (m) => plainText(m).includes('grated'));
    expect(plainText(card)).toContain('generated, sent to the requester privately');
    await waitForCardText(h.slack, 'pam360', card, /Not found at the vendor/);
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /USERID/);
    const sent = h.pam360.passwordOf('grated');
    // The simulator refuses a PASSWORD that breaks its policy, so its being stored proves it met it.
    expect(sent).toMatch(/^[A-Za-z]/);
    expect(h.pam360.knobs.passwordPolicy).not.toBeNull();
    const request = (await h.runtime.store.listRequests({ vendor: 'pam360' }))[0]!;
    expect(JSON.stringify(request.payload)).not.toContain(sent);

    for (const e of h.slack.transcript()) expect(JSON.stringify(e)).not.toContain(sent);

    const first = await revealInitialPassword(h.slack, /grated/);
    expect(first).toContain(`grated,${sent!.replace(/&/g, '&amp;')}`);
    expect(first).not.toContain('AUTHTOKEN');
    const second = await revealInitialPassword(h.slack, /grated/);
    expect(second).toContain('no longer available');
    expect(second).not.toContain(sent);
    expect(
      h.slack.views(USERS.requester).filter((v) => JSON.stringify(v.view).includes('grated,')),
    ).toHaveLength(1);
    // Final and revealed: neither the held password nor the reveal copy is left.
    expect(await h.runtime.store.readSecret(request.id, 'passwords', h.clock.now())).toBeNull();
    expect(await h.runtime.store.hasSecret(request.id, h.clock.now())).toBe(false);
  });

  it('when PAM360 also returns an AUTHTOKEN, one modal shows the password and the token, once', async () => {
    h.pam360.setKnobs({ authTokenForNormalUsers: true });
    try {
      await requestAccount(h.slack, 'pam360', {
        userType: 'normal',
        FIRSTNAME: 'Bo',
        LASTNAME: 'Th',
        USERNAME: 'both1',
        EMAIL: 'both1@example.com',
      });
      const card = await waitForCard(h.slack, 'pam360', (m) => plainText(m).includes('both1'));
      await waitForCardText(h.slack, 'pam360', card, /Not found at the vendor/);
      await approve(h.slack, card, USERS.approver1);
      await waitForReply(h.slack, card, /USERID/);
      const token = [...h.pam360.store.tokens.entries()].find(([, t]) => t.username === 'both1')?.[0];
      expect(token).toBeTruthy();
      const password = h.pam360.passwordOf('both1')!;
      const dm = await waitForDm(h.slack, USERS.requester, /initial password and AUTHTOKEN.*both1/s);
      expect(JSON.stringify(dm)).not.toContain(token);
      for (const e of h.slack.transcript()) {
        expect(JSON.stringify(e)).not.toContain(token);
        expect(JSON.stringify(e)).not.toContain(password);
      }
      const modal = await revealInitialPassword(h.slack, /both1/);
      expect(modal).toContain(`both1,${password.replace(/&/g, '&amp;')}`);
      expect(modal).toContain(token);
      expect(await revealInitialPassword(h.slack, /both1/)).toContain('no longer available');
      const shown = h.slack.views(USERS.requester).filter((v) => JSON.stringify(v.view).includes(token!));
      expect(shown).toHaveLength(1);
    } finally {
      h.pam360.setKnobs({ authTokenForNormalUsers: false });
    }
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
