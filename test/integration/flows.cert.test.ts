import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from './harness.ts';
import { CERT_USER1 } from './sample-forms.ts';
import {
  approve,
  form,
  openBulkModal,
  plainText,
  requestAccount,
  revealInitialPassword,
  WHY,
  waitForCard,
  waitForDm,
  waitForReply,
} from './scenario.ts';

const user1 = CERT_USER1;

describe('Certification end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('one user: created with a generated password, revealed to the requester exactly once', async () => {
    await requestAccount(h.slack, 'cert', user1);
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('testuser1'));
    expect(plainText(card)).toContain('generated, sent to the requester privately');
    await approve(h.slack, card, USERS.approver1);
    const reply = await waitForReply(h.slack, card, /1 created/);
    const id = h.cert.users().find((u) => u.userName === 'testuser1')?.id;
    expect(id).toBeTruthy();
    expect(plainText(reply)).toContain(String(id));
    const sent = h.cert.passwordOf('testuser1');
    expect(sent).toMatch(/^(?=.*[A-Za-z])(?=.*\d)(?=.*[@$!%*#?&])[A-Za-z\d@$!%*#?&]{8,}$/);
    for (const e of h.slack.transcript()) expect(JSON.stringify(e)).not.toContain(sent);

    const first = await revealInitialPassword(h.slack, /testuser1/);
    expect(first).toContain(`testuser1,${sent!.replace(/&/g, '&amp;')}`);
    const second = await revealInitialPassword(h.slack, /testuser1/);
    expect(second).toContain('no longer available');
    expect(second).not.toContain(sent);
    const shown = h.slack.views(USERS.requester).filter((v) => JSON.stringify(v.view).includes('testuser1,'));
    expect(shown).toHaveLength(1);
  });

  it('a bulk batch with one created and one refused user: per-user results and the counts', async () => {
    h.cert.seedUsers([{ userName: 'taken', email: 'taken@localhost.local' }]);
    const view = await openBulkModal(h.slack, 'cert');
    const csv = [
      'userName,firstName,lastName,email,roles',
      'bulk1,Bulk,One,bulk1@localhost.local,Certification:Reconciler',
      'taken,Taken,Two,other@localhost.local,',
    ].join('\n');
    const { ack } = await h.slack.submitView({
      user: USERS.requester,
      viewId: view.id,
      values: { bulk_csv: { value: csv }, justification: { value: WHY } },
    });
    expect(ack?.response_action).toBeUndefined();
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('2 users'));
    await approve(h.slack, card, USERS.approver2);
    const reply = await waitForReply(h.slack, card, /1 created, 1 failed/);
    expect(plainText(reply)).toMatch(/bulk1/);
    expect(plainText(reply)).toMatch(/taken.*(already|found|exists)/is);
    expect(h.cert.createCalls).toBe(2);
    // Only the user Certification created is handed over.
    const modal = await revealInitialPassword(h.slack, /2 users/);
    expect(modal).toContain(`bulk1,${h.cert.passwordOf('bulk1')!.replace(/&/g, '&amp;')}`);
    expect(modal).toContain('username,password');
    expect(modal).not.toMatch(/taken,/);
  });

  it('bulk rows are checked before anything is stored, with the row number', async () => {
    const view = await openBulkModal(h.slack, 'cert');
    const csv = 'userName,firstName,lastName,email\n.bad,A,B,not-an-email';
    const { ack } = await h.slack.submitView({
      user: USERS.requester,
      viewId: view.id,
      values: { bulk_csv: { value: csv }, justification: { value: WHY } },
    });
    expect(ack?.response_action).toBe('errors');
    expect(ack?.errors?.bulk_csv).toMatch(/row 2: userName/);
    expect(ack?.errors?.bulk_csv).toMatch(/row 2: email/);
    // Passwords are generated: a password column is refused, not silently dropped.
    const withPasswords = await h.slack.submitView({
      user: USERS.requester,
      viewId: (await openBulkModal(h.slack, 'cert')).id,
      values: {
        bulk_csv: { value: 'userName,password,firstName,lastName,email\nok1,Pw123456!,A,B,ok1@x.io' },
        justification: { value: WHY },
      },
    });
    expect(withPasswords.ack?.errors?.bulk_csv).toMatch(/Unknown column password/);
  });

  it('form() helper maps values to the single input of each block', () => {
    expect(form({ a: 'x' })).toEqual({ a: { value: 'x' } });
  });
});

describe('Certification end to end, typed passwords (CERT_USER_PASSWORDS=typed)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ certPatch: { userPasswords: 'typed' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the typed password is sent, never shown, and no Reveal is offered', async () => {
    await requestAccount(h.slack, 'cert', { ...user1, password: 'Typed123!pw' });
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('testuser1'));
    expect(plainText(card)).toMatch(/Password:\*? ••••••••/);
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /1 created/);
    expect(h.cert.passwordOf('testuser1')).toBe('Typed123!pw');
    await waitForDm(h.slack, USERS.requester, /testuser1/);
    expect(h.slack.dms(USERS.requester).some((m) => /Reveal/.test(plainText(m)))).toBe(false);
    for (const e of h.slack.transcript()) expect(JSON.stringify(e)).not.toContain('Typed123!pw');
  });

  it('the modal applies the seed’s rules: userName, password and e-mail patterns, 15-character ids', async () => {
    const { ack } = await requestAccount(h.slack, 'cert', {
      ...user1,
      userName: 'bad..name',
      password: 'password',
      email: 'someone@host',
      programAdminRoleId: 'x'.repeat(16),
    });
    expect(ack?.response_action).toBe('errors');
    expect(Object.keys(ack?.errors ?? {}).sort()).toEqual([
      'email',
      'password',
      'programAdminRoleId',
      'userName',
    ]);
    expect(ack?.errors?.programAdminRoleId).toMatch(/15/);
  });
});
