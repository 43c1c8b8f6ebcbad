import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from './harness.ts';
import { CERT_USER1 } from './sample-forms.ts';
import { approve, form, plainText, requestAccount, waitForCard, waitForReply } from './scenario.ts';

const user1 = CERT_USER1;

describe('Certification end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('one user: created with its id in the thread; the password never shown', async () => {
    await requestAccount(h.slack, 'cert', user1);
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('testuser1'));
    expect(plainText(card)).toContain('••••••••');
    await approve(h.slack, card, USERS.approver1);
    const reply = await waitForReply(h.slack, card, /1 created/);
    const id = h.cert.users().find((u) => u.userName === 'testuser1')?.id;
    expect(id).toBeTruthy();
    expect(plainText(reply)).toContain(String(id));
    for (const e of h.slack.transcript()) expect(JSON.stringify(e)).not.toContain('Password123!');
  });

  it('a bulk batch with one created and one refused user: per-user results and the counts', async () => {
    h.cert.seedUsers([{ userName: 'taken', email: 'taken@localhost.local' }]);
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'cert bulk' });
    const view = await h.slack.waitFor(
      () => h.slack.lastView(USERS.requester)?.open && h.slack.lastView(USERS.requester),
    );
    const csv = [
      'userName,password,firstName,lastName,email,roles',
      'bulk1,Password123!,Bulk,One,bulk1@localhost.local,Certification:Reconciler',
      'taken,Password123!,Taken,Two,other@localhost.local,',
    ].join('\n');
    const { ack } = await h.slack.submitView({
      user: USERS.requester,
      viewId: view.id,
      values: { bulk_csv: { value: csv } },
    });
    expect(ack?.response_action).toBeUndefined();
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('2 users'));
    await approve(h.slack, card, USERS.approver2);
    const reply = await waitForReply(h.slack, card, /1 created, 1 failed/);
    expect(plainText(reply)).toMatch(/bulk1/);
    expect(plainText(reply)).toMatch(/taken.*(already|found|exists)/is);
    expect(h.cert.createCalls).toBe(2);
  });

  it('bulk rows are checked before anything is stored, with the row number', async () => {
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'cert bulk' });
    const view = await h.slack.waitFor(
      () => h.slack.lastView(USERS.requester)?.open && h.slack.lastView(USERS.requester),
    );
    const csv = 'userName,password,firstName,lastName,email\n.bad,short,A,B,not-an-email';
    const { ack } = await h.slack.submitView({
      user: USERS.requester,
      viewId: view.id,
      values: { bulk_csv: { value: csv } },
    });
    expect(ack?.response_action).toBe('errors');
    expect(ack?.errors?.bulk_csv).toMatch(/row 2: userName/);
    expect(ack?.errors?.bulk_csv).toMatch(/row 2: password/);
    expect(ack?.errors?.bulk_csv).toMatch(/row 2: email/);
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

  it('form() helper maps values to the single input of each block', () => {
    expect(form({ a: 'x' })).toEqual({ a: { value: 'x' } });
  });
});
