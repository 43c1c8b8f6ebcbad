/**
 * Nothing typed or returned can speak in Slack: all three vendors played through the real bot with
 * hostile text in every free-text field, and the simulators answering with it (PAM360 echoes the
 * username in its create message and a not-found text; PJM's userSearch returns a hostile user for
 * the pre-check). Every Web API call and response_url body the fake Slack recorded is then scanned
 * for a control sequence the bot did not mean to write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_TEXT } from '../support/hostile.ts';
import { leaksIn } from '../support/slack-control.ts';
import { APPROVER_GROUP, type Harness, startHarness, USERS } from './harness.ts';
import { CERT_USER1, PJM_SMITH } from './sample-forms.ts';
import {
  approve,
  deny,
  plainText,
  requestAccount,
  waitForCard,
  waitForEphemeral,
  waitForReply,
} from './scenario.ts';

/** No spaces and a letter first, so PJM's and PAM360's username rules let it through. */
const HOSTILE_ID = 'x<!channel><!here>&lt;!everyone&gt;<@U123><#C123><http://evil|x>`*_~';

describe('hostile text end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendorPatch: { approverGroups: [APPROVER_GROUP] } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('PJM, PAM360 and Certification with hostile fields and vendor words: no unescaped sequence anywhere', async () => {
    // PJM: the pre-check finds a user whose stored name and status are hostile (vendor data).
    h.pjm.seedUser({
      username: `pjm${HOSTILE_ID}`,
      firstName: HOSTILE_TEXT,
      lastName: HOSTILE_TEXT,
      email: 'h@fake.com',
      accounts: ['ACCT'],
    });
    const pjm = await requestAccount(h.slack, 'pjm', {
      ...PJM_SMITH,
      username: `pjm${HOSTILE_ID}`,
      firstName: HOSTILE_TEXT,
      lastName: HOSTILE_TEXT,
      jobTitle: HOSTILE_TEXT,
    });
    expect(pjm.ack?.errors).toBeUndefined();
    const pjmCard = await waitForCard(h.slack, 'pjm');
    await approve(h.slack, pjmCard, USERS.approver1);
    await waitForReply(h.slack, pjmCard, /already exists/i);

    // PAM360: created; PAM360's message repeats the hostile username.
    const pam = await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: HOSTILE_TEXT,
      LASTNAME: HOSTILE_TEXT,
      USERNAME: `pam${HOSTILE_ID}`,
      EMAIL: 'pam@example.com',
    });
    expect(pam.ack?.errors).toBeUndefined();
    const pamCard = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, pamCard, USERS.approver1);
    await waitForReply(h.slack, pamCard, /Created in PAM360/);

    // Certification: hostile names and ids; then denied with a hostile reason.
    const cert = await requestAccount(h.slack, 'cert', {
      ...CERT_USER1,
      firstName: HOSTILE_TEXT,
      lastName: HOSTILE_TEXT,
      displayName: HOSTILE_TEXT,
      programAdminRoleId: '<!channel>',
    });
    expect(cert.ack?.errors).toBeUndefined();
    const certCard = await waitForCard(h.slack, 'cert');
    await deny(h.slack, certCard, USERS.approver2, HOSTILE_TEXT);
    await waitForReply(h.slack, certCard, /denied this request/);

    // Lookups and commands echo what was typed; PAM360's not-found text is hostile too.
    h.pam360.setKnobs({ userNotFoundMessage: `No such user ${HOSTILE_TEXT}` });
    await h.slack.slashCommand({ user: USERS.approver1, command: '/lookup', text: `pam360 ${HOSTILE_ID}` });
    await h.slack.slashCommand({ user: USERS.approver1, command: '/lookup', text: `pjm ${HOSTILE_TEXT}` });
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: HOSTILE_ID });
    await waitForEphemeral(h.slack, USERS.requester, /I don't know/);
    await h.slack.openHome(USERS.requester);
    await h.slack.waitFor(() => h.slack.homeTab(USERS.requester), { timeoutMs: 10_000 });
    await h.slack.waitFor(() => h.slack.dms(USERS.requester).some((m) => /Denied/.test(plainText(m))), {
      timeoutMs: 10_000,
    });

    const calls = h.slack.calls();
    expect(calls.length).toBeGreaterThan(15);
    const allowed = {
      userIds: Object.values(USERS),
      groupIds: [APPROVER_GROUP],
      // Permalinks of the fake workspace, and PJM's own site (its HTML message links there).
      urlPrefixes: ['https://fake-workspace.slack.com/archives/', 'http://www.pjm.com/'],
    };
    const leaks = calls.flatMap((c) => leaksIn(c.args, allowed).map((l) => `${c.method}: ${l}`));
    expect(leaks).toEqual([]);
    // The hostile words did reach Slack, escaped: the scan looked at real content.
    expect(JSON.stringify(calls.map((c) => c.args))).toContain('&lt;!channel&gt;');
  });
});
