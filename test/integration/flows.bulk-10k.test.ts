/**
 * The one end-to-end run at the top size: 10,000 users from one file under one approval — ten create
 * calls, a results file of 10,000 lines, and generated passwords too many for the Reveal window,
 * handed to the requester as a file in their own DM (never in a channel).
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../src/slack/views/ids.ts';
import { CHANNELS, type Harness, startHarness, USERS } from './harness.ts';
import { approve, openBulkModal, plainText, WHY } from './scenario.ts';

const SLOW = { timeoutMs: 120_000 };

describe('bulk Certification at 10,000 users', () => {
  let h: Harness;
  beforeAll(async () => {
    // A create call of 1,000 users can take more than the sim's 5 s deadline on a loaded machine; a
    // timed-out call is retried on the fake clock, which this test does not advance.
    h = await startHarness({ certPatch: { timeoutMs: 60_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('one approval, ten create calls, results in the thread, passwords as a file in the DM only', async () => {
    const lines = ['userName,firstName,lastName,email'];
    for (let i = 0; i < 10_000; i++) lines.push(`tenk${i},First,Last,tenk${i}@example.com`);
    const file = h.slack.files.userFile(USERS.requester, 'tenk.csv', lines.join('\n'));
    const modal = await openBulkModal(h.slack, 'cert');
    const { ack } = await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: { [BLOCK.bulkFile]: { value: h.slack.files.fileInput(file) }, justification: { value: WHY } },
    });
    expect(ack?.response_action).toBe('update');
    expect(plainText({ text: '', blocks: h.slack.lastView(USERS.requester)!.blocks })).toContain(
      '10,000 rows read, 10,000 ready, 0 with problems',
    );
    await h.slack.submitView({ user: USERS.requester });
    const card = await h.slack.waitFor(
      () => h.slack.messages(CHANNELS.cert).find((m) => plainText(m).includes('10000 users')),
      SLOW,
    );
    const before = h.cert.createCalls;
    await approve(h.slack, card, USERS.approver1);
    await h.slack.waitFor(
      () => h.slack.thread(card.channel, card.ts).find((m) => /10000 created/.test(plainText(m))),
      SLOW,
    );
    expect(h.cert.createCalls - before).toBe(10);
    const results = await h.slack.waitFor(() => h.slack.files.inThread(card.channel, card.ts)[0], SLOW);
    expect(Papa.parse(h.slack.files.text(results).trim(), { header: true }).data).toHaveLength(10_000);

    const dm = await h.slack.waitFor(
      () => h.slack.dms(USERS.requester).find((m) => /Reveal/.test(plainText(m))),
      SLOW,
    );
    await h.slack.clickButton({
      user: USERS.requester,
      channel: dm.channel,
      ts: dm.ts,
      actionId: ACTION.revealToken,
    });
    const passwords = await h.slack.waitFor(
      () => h.slack.files.inDm(USERS.requester).find((f) => f.name.startsWith('initial-passwords-')),
      SLOW,
    );
    const rows = Papa.parse<{ username: string; password: string }>(h.slack.files.text(passwords).trim(), {
      header: true,
    }).data;
    expect(rows).toHaveLength(10_000);
    expect(rows.find((r) => r.username === 'tenk42')?.password).toBe(h.cert.passwordOf('tenk42'));
    // Only the requester's DM holds them: no channel, no thread, no modal.
    const password = h.cert.passwordOf('tenk42')!;
    for (const f of h.slack.files.botFiles().filter((f) => f !== passwords))
      expect(h.slack.files.text(f)).not.toContain(password);
    for (const e of h.slack.transcript()) expect(JSON.stringify(e)).not.toContain(password);
    expect(h.slack.violations()).toEqual([]);
  }, 300_000);
});
