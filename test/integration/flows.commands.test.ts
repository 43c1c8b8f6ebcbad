import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from './harness.ts';
import { requestAccount, waitForCard, waitForEphemeral } from './scenario.ts';

describe('commands and the App Home', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/newuser help explains every vendor, lookups and bulk, privately', async () => {
    await h.slack.slashCommand({ user: USERS.outsider, command: '/newuser', text: 'help' });
    const help = await waitForEphemeral(h.slack, USERS.outsider, /Access Desk/);
    for (const text of ['`pjm`', '`pam360`', '`cert`', '/newuser cert bulk', '/lookup pjm|pam360']) {
      expect(help.text).toContain(text);
    }
  });

  it('/newuser with an unknown vendor says so and shows the help', async () => {
    await h.slack.slashCommand({ user: USERS.outsider, command: '/newuser', text: 'oracle' });
    await waitForEphemeral(h.slack, USERS.outsider, /I don't know “oracle”/);
  });

  it('/newuser that reaches the bot after its trigger_id expired says so where it was typed, instead of nothing', async () => {
    h.slack.failNext('views.open', { error: 'expired_trigger_id' });
    await h.slack.slashCommand({ user: USERS.outsider, command: '/newuser', text: 'pam360' });
    const late = await waitForEphemeral(h.slack, USERS.outsider, /too late to open its form/);
    expect(late.text).toContain('`/newuser pam360`');
    expect(late.text).toContain('run it again');
  });

  it('/newuser alone opens the picker, and a pick turns it into that vendor’s form', async () => {
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser' });
    const picker = await h.slack.waitFor(() =>
      h.slack.views(USERS.requester).find((v) => v.open && v.callbackId === 'newuser_picker'),
    );
    await h.slack.clickButton({
      user: USERS.requester,
      viewId: picker.id,
      actionId: 'newuser_pick_vendor_pam360',
    });
    const form = await h.slack.waitFor(() =>
      h.slack.views(USERS.requester).find((v) => v.open && v.callbackId === 'newuser_submit'),
    );
    expect(JSON.stringify(form.view)).toContain('USERNAME');
    await h.slack.closeView({ user: USERS.requester, viewId: form.id });
  });

  it('the App Home lists my requests and those awaiting my approval', async () => {
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Ho',
      LASTNAME: 'Me',
      USERNAME: 'homeuser',
      EMAIL: 'home@example.com',
    });
    await waitForCard(h.slack, 'pam360');
    await h.slack.openHome(USERS.approver1);
    const approverHome = await h.slack.waitFor(() => h.slack.homeTab(USERS.approver1));
    expect(JSON.stringify(approverHome.view)).toMatch(/Waiting for your approval\* \(1\)/);
    await h.slack.openHome(USERS.requester);
    const mine = await h.slack.waitFor(() => h.slack.homeTab(USERS.requester));
    expect(JSON.stringify(mine.view)).toContain('homeuser');
  });
});
