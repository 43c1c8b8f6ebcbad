/**
 * The App Home (issue 11 §7): approvers see the requests waiting for them with Approve and Deny,
 * admins the requests that need attention with Retry — the card's own buttons and values, through
 * the same handlers and checks (payload hash included). A click on the Home refreshes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import { plainText } from '../fakes/fake-slack/index.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { pam360User } from './sample-forms.ts';
import { form, openEdit, requestAccount, waitForCard, waitForCardText, waitForReply } from './scenario.ts';

const ADMIN = USERS.groupMember;

/** The user opens the Home tab; resolves with it once published after `since` publishes. */
async function openHome(h: Harness, user: string) {
  const before = h.slack.calls('views.publish').length;
  await h.slack.openHome(user);
  await h.slack.waitFor(() => h.slack.calls('views.publish').length > before || undefined, {
    timeoutMs: 10_000,
  });
  return h.slack.homeTab(user)!;
}

const homeText = (h: Harness, user: string) => JSON.stringify(h.slack.homeTab(user)?.view.blocks ?? []);

async function clickOnHome(h: Harness, user: string, actionId: string, blockId?: string) {
  const home = h.slack.homeTab(user)!;
  const before = h.slack.calls('views.publish').length;
  await h.slack.clickButton({ user, viewId: home.id, actionId, ...(blockId ? { blockId } : {}) });
  return before;
}

describe('App Home', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('an approver approves from the Home; the Home drops the row; a stale row (the request was edited) is refused on the Home', async () => {
    const h = await startHarness();
    harness = h;
    await requestAccount(h.slack, 'pam360', pam360User('homeone'));
    const card = await waitForCard(h.slack, 'pam360');
    await openHome(h, USERS.approver1);
    expect(homeText(h, USERS.approver1)).toMatch(/Waiting for your approval\* \(1\)/);
    expect(homeText(h, USERS.approver1)).toContain('homeone');
    // The requester does not see their own request as waiting for them.
    await openHome(h, USERS.requester);
    expect(homeText(h, USERS.requester)).toMatch(/Waiting for your approval\* \(0\)/);

    // The requester edits; approver1's Home still shows the old version.
    const edit = await openEdit(h.slack, card);
    await h.slack.submitView({
      user: USERS.requester,
      viewId: edit.id,
      values: form({ LASTNAME: 'Edited' }),
    });
    await waitForCardText(h.slack, 'pam360', card, /Edited by the requester/);

    const before = await clickOnHome(h, USERS.approver1, ACTION.approve);
    await h.slack.waitFor(() => h.slack.calls('views.publish').length > before || undefined);
    expect(homeText(h, USERS.approver1)).toMatch(/requester edited this request after it was shown to you/);
    expect(h.pam360.createCalls).toBe(0);
    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    expect(req?.status).toBe('PENDING');

    // The refreshed Home carries the new version: this click counts.
    const again = await clickOnHome(h, USERS.approver1, ACTION.approve);
    await waitForReply(h.slack, card, /Created in PAM360/);
    await h.slack.waitFor(() => h.slack.calls('views.publish').length > again || undefined);
    expect(homeText(h, USERS.approver1)).toMatch(/Waiting for your approval\* \(0\)/);
    expect(h.pam360.store.find('homeone')?.LASTNAME).toBe('Edited');
  });

  it('an admin retries a request that needs attention from the Home; others do not see it', async () => {
    const h = await startHarness({ slackPatch: { adminUsers: [ADMIN] } });
    harness = h;
    h.pam360.fault('createUser', {
      respond: { status: 200, contentType: 'text/html', body: '<html>login</html>' },
    });
    await requestAccount(h.slack, 'pam360', pam360User('stuckone'));
    const card = await waitForCard(h.slack, 'pam360');
    await h.slack.clickButton({
      user: USERS.approver1,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.approve,
    });
    await waitForCardText(h.slack, 'pam360', card, /Needs attention/);

    await openHome(h, ADMIN);
    expect(homeText(h, ADMIN)).toMatch(/Needs attention\* \(1\)/);
    expect(homeText(h, ADMIN)).toContain('stuckone');
    await openHome(h, USERS.outsider);
    expect(homeText(h, USERS.outsider)).not.toContain('stuckone');

    await clickOnHome(h, ADMIN, ACTION.retry);
    await waitForReply(h.slack, card, /asked to check again and retry/);
    const done = await waitForCardText(h.slack, 'pam360', card, /Created in PAM360/);
    expect(plainText(done)).toMatch(/What was sent/);
    await h.slack.waitFor(() => (/Needs attention\* \(/.test(homeText(h, ADMIN)) ? undefined : true));
  });
});
