import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from './harness.ts';
import { PJM_SMITH } from './sample-forms.ts';
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

const smith = { ...PJM_SMITH, accountAccess: ['PJM Public', 'Power Meter Read Only'] };

describe('PJM Account Manager end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('request → card with the exact payload → approve → "submitted, pending your CAM" in PJM’s words', async () => {
    const { ack } = await requestAccount(h.slack, 'pjm', smith);
    expect(ack?.response_action).toBeUndefined();
    const card = await waitForCard(h.slack, 'pjm', (m) => plainText(m).includes('smithj01'));
    const shown = plainText(card);
    for (const text of ['jsmith@fake.com', 'ACCT', 'Employee', 'Power Meter Read Only', '555-555-5555']) {
      expect(shown).toContain(text);
    }
    await waitForEphemeral(h.slack, USERS.requester, /waiting for approval/);
    await approve(h.slack, card, USERS.approver1);
    const reply = await waitForReply(h.slack, card, /Company Account Manager/);
    expect(plainText(reply)).toMatch(/pending your Company Account Manager's approval/);
    expect(plainText(reply)).toContain(
      '<http://www.pjm.com/about-pjm/who-we-are/contact-us.aspx|Contact PJM>',
    );
    expect(plainText(reply)).not.toMatch(/created/i);
    await waitForDm(h.slack, USERS.requester, /smithj01.*Submitted — pending your Company Account Manager/s);
    expect(h.pjm.createCalls).toBe(1);
    expect(h.slack.violations()).toEqual([]);
  });

  it('PJM’s 400 ERROR: the request fails with PJM’s own message in the thread and the requester’s DM', async () => {
    await requestAccount(h.slack, 'pjm', {
      ...smith,
      username: 'powerp01',
      email: 'pat@otherpower.example',
      employer: 'OTHR',
      accountAccess: ['Power Meter Read Only'],
    });
    const card = await waitForCard(h.slack, 'pjm', (m) => plainText(m).includes('powerp01'));
    await approve(h.slack, card, USERS.approver2);
    const reply = await waitForReply(h.slack, card, /not valid for Other Power &(amp;)? Light/);
    expect(plainText(reply)).toMatch(/Refused by the vendor/);
    await waitForCardText(h.slack, 'pjm', card, /Refused by the vendor/);
    await waitForDm(h.slack, USERS.requester, /powerp01.*not valid for Other Power &(amp;)? Light/s);
  });

  it('the modal refuses PJM’s username rules and a missing "employed as", field by field, and stores nothing', async () => {
    const before = await h.runtime.store.listRequests({});
    const short = await requestAccount(h.slack, 'pjm', { ...smith, username: 'ab1', employedAs: null });
    expect(short.ack?.response_action).toBe('errors');
    expect(Object.keys(short.ack?.errors ?? {}).sort()).toEqual(['employedAs', 'username']);
    expect(short.ack?.errors?.username).toMatch(/6/);
    const special = await requestAccount(h.slack, 'pjm', { ...smith, username: '_smith01' });
    expect(special.ack?.errors?.username).toMatch(/start with a letter/i);
    expect(await h.runtime.store.listRequests({})).toHaveLength(before.length);
  });

  it('/lookup pjm finds one user with both accounts, one of them "Account Test Company, LLC"', async () => {
    h.pjm.seedUser({
      username: 'multij',
      firstName: 'Multi',
      lastName: 'Jones',
      email: 'multi@fake.com',
      accounts: ['ACCT', 'OTHR'],
    });
    await h.slack.slashCommand({ user: USERS.approver1, command: '/lookup', text: 'pjm multi@fake.com' });
    const answer = await waitForEphemeral(h.slack, USERS.approver1, /multij/);
    const text = answer.text + JSON.stringify(answer.blocks);
    expect(text).toMatch(/1 match/);
    expect(text).toContain('Account Test Company, LLC');
    expect(text).toContain('Other Power');
  });

  it('/lookup with a wrong vendor explains the usage, privately', async () => {
    await h.slack.slashCommand({ user: USERS.outsider, command: '/lookup', text: 'nope someone' });
    await waitForEphemeral(h.slack, USERS.outsider, /Usage: `\/lookup/);
  });
});
