/**
 * The sandbox: the real bot with a fake Slack, the three vendor simulators and SQLite, playing a full
 * scenario per vendor, and printing what people would see in Slack, in order. It checks its own
 * promises (every flow finished, no PAM360 token in any channel, DM or log line) and exits non-zero
 * if one is broken.
 */

import { systemClock } from '../src/domain/clock.ts';
import { ACTION } from '../src/slack/views/ids.ts';
import { captureLogger } from '../test/fakes/capture-log.ts';
import type { TranscriptEntry } from '../test/fakes/fake-slack/index.ts';
import { startHarness, USERS } from '../test/integration/harness.ts';
import { CERT_USER1, PJM_SMITH } from '../test/integration/sample-forms.ts';
import {
  approve,
  deny,
  plainText,
  requestAccount,
  waitForCard,
  waitForCardText,
  waitForDm,
  waitForReply,
} from '../test/integration/scenario.ts';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const problems: string[] = [];
const logs = captureLogger('info');
const h = await startHarness({ clock: systemClock, log: logs.log });
let printed = 0;

function show(title: string): void {
  const entries = h.slack.transcript().slice(printed);
  printed += entries.length;
  console.log(`\n${bold(`━━ ${title} ━━`)}`);
  console.log(h.slack.formatTranscript(entries));
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    problems.push(`${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
}

console.log(bold('Access Desk sandbox — fake Slack, PJM / PAM360 / Certification simulators, SQLite'));
console.log(`Requester <@${USERS.requester}>, approvers <@${USERS.approver1}> and <@${USERS.approver2}>.`);

await step('PJM request approved and submitted', async () => {
  await requestAccount(h.slack, 'pjm', PJM_SMITH);
  const card = await waitForCard(h.slack, 'pjm');
  await waitForCardText(h.slack, 'pjm', card, /Not found|Could not confirm/);
  await approve(h.slack, card, USERS.approver1);
  await waitForReply(h.slack, card, /Company Account Manager/);
  await waitForDm(h.slack, USERS.requester, /PJM.*smithj01.*Submitted — pending/s);
});
show('1. PJM Account Manager: request → approve → submitted for CAM approval');

await step('PAM360 API user created, token revealed privately', async () => {
  await requestAccount(h.slack, 'pam360', {
    userType: 'api',
    FIRSTNAME: 'Jason',
    LASTNAME: 'Thomas',
    USERNAME: 'jthomas',
    EMAIL: 'jason@example.com',
  });
  const card = await waitForCard(h.slack, 'pam360');
  await approve(h.slack, card, USERS.approver2);
  await waitForReply(h.slack, card, /USERID/);
  const dm = await waitForDm(h.slack, USERS.requester, /Reveal/);
  await h.slack.clickButton({
    user: USERS.requester,
    channel: dm.channel,
    ts: dm.ts,
    actionId: ACTION.revealToken,
  });
  await h.slack.waitFor(
    () => h.slack.views(USERS.requester).some((v) => /AUTHTOKEN/.test(JSON.stringify(v.view))),
    {
      timeoutMs: 5000,
    },
  );
});
show('2. PAM360: request → approve → USERID in the thread, AUTHTOKEN only in a one-time modal');

await step('Certification user created', async () => {
  await requestAccount(h.slack, 'cert', CERT_USER1);
  const card = await waitForCard(h.slack, 'cert');
  await approve(h.slack, card, USERS.approver1);
  await waitForReply(h.slack, card, /1 created/);
});
show('3. Certification: request → approve → per-user result');

await step('PJM request denied with a reason', async () => {
  await requestAccount(h.slack, 'pjm', {
    username: 'doej0001',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jdoe@fake.com',
    employer: 'ACCT',
    employedAs: 'Contractor',
  });
  const card = await waitForCard(h.slack, 'pjm', (m) => plainText(m).includes('doej0001'));
  await deny(h.slack, card, USERS.approver2, 'Contract not signed yet');
  await waitForDm(h.slack, USERS.requester, /Contract not signed yet/);
});
show('4. A denial with a reason');

await step('PJM refuses a registration', async () => {
  await requestAccount(h.slack, 'pjm', {
    username: 'outsider1',
    firstName: 'Olive',
    lastName: 'Outsider',
    email: 'olive@gmail.com',
    employer: 'ACCT',
    employedAs: 'Consultant',
  });
  const card = await waitForCard(h.slack, 'pjm', (m) => plainText(m).includes('outsider1'));
  await approve(h.slack, card, USERS.approver1);
  await waitForReply(h.slack, card, /refused|not authorized/i);
});
show('5. The vendor says no: PJM refuses an e-mail not allow-listed for the account');

const tokens = [...h.pam360.store.tokens.keys()].filter((t) => t !== h.pam360.botToken);
const leaked = (e: TranscriptEntry) =>
  !e.kind.startsWith('view') && tokens.some((t) => JSON.stringify(e).includes(t));
if (tokens.length === 0) problems.push('no PAM360 token was issued, so the secret hand-off was not shown');
if (h.slack.transcript().some(leaked)) problems.push('a PAM360 AUTHTOKEN appeared in a Slack message');
if (tokens.some((t) => logs.text().includes(t))) problems.push('a PAM360 AUTHTOKEN appeared in a log line');
const violations = h.slack.violations();
if (violations.length) problems.push(`Slack limits broken: ${JSON.stringify(violations).slice(0, 300)}`);

await h.close();
if (problems.length) {
  console.error(`\n${bold('Sandbox FAILED:')}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `\n${bold('Sandbox OK')}: three vendor flows, a denial and a vendor refusal; no token in any channel, DM or log.`,
);
