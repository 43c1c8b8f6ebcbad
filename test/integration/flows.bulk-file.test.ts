/**
 * Bulk Certification from a CSV file, end to end: the file chosen in the bulk modal or dropped in
 * the DM, read from the fake Slack with the bot token, previewed, requested under one approval, sent
 * in create calls of ≤1000 to the simulator, and the results uploaded to the thread as CSV.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/views/ids.ts';
import type { FakeFile, StoredMessage } from '../fakes/fake-slack/index.ts';
import { CHANNELS, type Harness, startHarness, USERS } from './harness.ts';
import { CERT_USER1 } from './sample-forms.ts';
import {
  approve,
  deny,
  openBulkModal,
  plainText,
  requestAccount,
  WHY,
  waitForCard,
  waitForEphemeral,
  waitForReply,
} from './scenario.ts';

const HOSTILE_REASON = '=HYPERLINK("http://evil.example","click")';

const HEADER = 'userName,firstName,lastName,email,roles,departmentId';

function usersCsv(n: number, prefix: string, edit: (i: number) => string | null = () => null): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    lines.push(
      edit(i) ?? `${prefix}${i},First${i},Last${i},${prefix}${i}@example.com,Certification:Reconciler,SALES`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const rowsOf = (csv: string) => Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;

async function chooseFile(h: Harness, file: FakeFile) {
  const view = await openBulkModal(h.slack, 'cert');
  return h.slack.submitView({
    user: USERS.requester,
    viewId: view.id,
    values: { [BLOCK.bulkFile]: { value: h.slack.files.fileInput(file) }, justification: { value: WHY } },
  });
}

/** Thousands of users take seconds on a loaded machine: the heavy steps wait longer than scenario.ts. */
const SLOW = { timeoutMs: 45_000 };

const fileIn = (h: Harness, where: () => FakeFile[], name: RegExp) =>
  h.slack.waitFor(() => where().find((f) => name.test(f.name)), SLOW);

const replyIn = (h: Harness, card: StoredMessage, pattern: RegExp) =>
  h.slack.waitFor(() => h.slack.thread(card.channel, card.ts).find((m) => pattern.test(plainText(m))), SLOW);

describe('bulk Certification from a CSV file', () => {
  let h: Harness;
  beforeAll(async () => {
    // A create call of 1,000 users can take more than the sim's 5 s deadline on a loaded machine.
    h = await startHarness({
      slackPatch: { adminUsers: [USERS.approver2] },
      certPatch: { timeoutMs: 60_000 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('1,000 rows with 3 bad: the preview names them, leaving them out makes one create call of 997 and a results CSV', async () => {
    const csv = usersCsv(1000, 'thou', (i) =>
      i === 10
        ? 'thou10,First,Last,not-an-email,Certification:Reconciler,SALES'
        : i === 500
          ? '.dotted,First,Last,dotted@example.com,,'
          : i === 900
            ? 'THOU3,First,Last,other900@example.com,,'
            : null,
    );
    const file = h.slack.files.userFile(USERS.requester, 'thousand.csv', csv);
    const { ack } = await chooseFile(h, file);
    expect(ack?.response_action).toBe('update');
    const preview = h.slack.lastView(USERS.requester)!;
    expect(preview.callbackId).toBe(CALLBACK.bulkPreview);
    const shown = plainText({ text: '', blocks: preview.blocks });
    expect(shown).toContain('1,000 rows read, 997 ready, 3 with problems');
    expect(shown).toMatch(/Row 12 · `email`: /);
    expect(shown).toMatch(/Row 502 · `userName`: /);
    expect(shown).toMatch(/Row 902 · `userName`: Same user name as row 5/);
    expect(h.slack.files.downloads).toContain(file.id);

    // The full error report, in the requester's DM.
    const report = await fileIn(h, () => h.slack.files.inDm(USERS.requester), /^errors-thousand/);
    expect(rowsOf(h.slack.files.text(report)).map((r) => [r.row, r.column])).toEqual([
      ['12', 'email'],
      ['502', 'userName'],
      ['902', 'userName'],
    ]);

    // Without the box ticked nothing is stored.
    const refused = await h.slack.submitView({ user: USERS.requester, viewId: preview.id });
    expect(refused.ack?.response_action).toBe('errors');
    expect(refused.ack?.errors?.[BLOCK.bulkDrop]).toMatch(/Fix the 3 rows/);
    expect(await h.runtime.store.listRequests({ vendor: 'cert' })).toHaveLength(0);

    // The answer given with the file is asked again here, filled in; it cannot be left empty.
    const unsaid = await h.slack.submitView({
      user: USERS.requester,
      viewId: preview.id,
      values: { [BLOCK.bulkDrop]: { value: ['drop'] }, justification: { value: null } },
    });
    expect(unsaid.ack?.errors?.justification).toMatch(/Say why/);

    const callsBefore = h.cert.createCalls;
    const usersBefore = h.cert.users().length;
    const { ack: sent } = await h.slack.submitView({
      user: USERS.requester,
      viewId: preview.id,
      values: { [BLOCK.bulkDrop]: { value: ['drop'] } },
    });
    expect(sent?.response_action).toBeUndefined();
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('997 users'));
    expect(plainText(card)).toMatch(
      /From file:\*? 1,000 rows, 3 rows with problems left out by the requester — thousand\.csv/,
    );
    expect(plainText(card)).toContain(WHY);
    await approve(h.slack, card, USERS.approver1);
    await replyIn(h, card, /997 created/);
    expect(h.cert.createCalls - callsBefore).toBe(1);
    expect(h.cert.users().length - usersBefore).toBe(997);

    const results = await fileIn(h, () => h.slack.files.inThread(card.channel, card.ts), /^results-/);
    const lines = rowsOf(h.slack.files.text(results));
    expect(lines).toHaveLength(997);
    expect(Object.keys(lines[0]!)).toEqual(['username', 'status', 'id', 'messages']);
    expect(lines.every((l) => l.status === 'created' && l.id)).toBe(true);
    const password = h.cert.passwordOf('thou0')!;
    expect(h.slack.files.text(results)).not.toContain(password);
    expect(h.slack.violations()).toEqual([]);
  }, 60_000);

  it('2,500 rows dropped in the DM: three create calls under one approval', async () => {
    const csv = usersCsv(2500, 'big');
    await h.slack.files.shareInDm(USERS.requester, 'big.csv', csv);
    const preview = await h.slack.waitFor(
      () => h.slack.dms(USERS.requester).find((m) => /big\.csv/.test(plainText(m)) && m.blocks.length > 0),
      SLOW,
    );
    expect(plainText(preview)).toContain('2,500 rows read, 2,500 ready, 0 with problems');
    const callsBefore = h.cert.createCalls;
    const usersBefore = h.cert.users().length;
    await h.slack.clickButton({
      user: USERS.requester,
      channel: preview.channel,
      ts: preview.ts,
      actionId: ACTION.bulkFileRequest,
    });
    // The button opens the same preview as a modal, where the requester says why and confirms.
    const modal = await h.slack.waitFor(
      () => h.slack.views(USERS.requester).find((v) => v.open && v.callbackId === CALLBACK.bulkPreview),
      SLOW,
    );
    await h.slack.submitView({
      user: USERS.requester,
      viewId: modal.id,
      values: { justification: { value: WHY } },
    });
    await h.slack.waitFor(
      () => /Requested 2,500 users/.test(plainText(h.slack.message(preview.channel, preview.ts)!)),
      SLOW,
    );
    const card = await h.slack.waitFor(
      () => h.slack.messages(CHANNELS.cert).find((m) => plainText(m).includes('2500 users')),
      SLOW,
    );
    await approve(h.slack, card, USERS.approver1);
    await replyIn(h, card, /2500 created/);
    expect(h.cert.createCalls - callsBefore).toBe(3);
    expect(h.cert.users().length - usersBefore).toBe(2500);
    const req = (await h.runtime.store.listRequests({ vendor: 'cert' })).find((r) => r.card?.ts === card.ts);
    expect(await h.runtime.store.listApprovals(req!.id)).toHaveLength(1);
    // Each call's results were stored as it answered (never re-sent by a later attempt).
    const answered = (await h.runtime.store.listAudit(req!.id)).filter(
      (e) => e.action === 'create_call_answered',
    );
    expect(answered.map((e) => e.detail)).toEqual(
      [1, 2, 3].map((call) => expect.objectContaining({ call, calls: 3 })),
    );
    const results = await fileIn(h, () => h.slack.files.inThread(card.channel, card.ts), /^results-/);
    expect(rowsOf(h.slack.files.text(results))).toHaveLength(2500);
    expect(h.slack.violations()).toEqual([]);
  }, 60_000);

  it('hostile cells come out neutralised in the error report and the results file', async () => {
    const csv = [
      HEADER,
      '@evil1,=SUM(1),Last,evil1@example.com,,',
      '-evil2,Plain,+Last,evil2@example.com,,',
      '=cmd(),First,Last,cmd@example.com,,',
    ].join('\n');
    const { ack } = await chooseFile(h, h.slack.files.userFile(USERS.requester, 'hostile.csv', csv));
    expect(ack?.response_action).toBe('update');
    const report = await fileIn(h, () => h.slack.files.inDm(USERS.requester), /^errors-hostile/);
    expect(rowsOf(h.slack.files.text(report))[0]).toMatchObject({
      row: '4',
      column: 'userName',
      value: "'=cmd()",
    });
    await h.slack.submitView({
      user: USERS.requester,
      values: { [BLOCK.bulkDrop]: { value: ['drop'] } },
    });
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('hostile.csv'));
    await approve(h.slack, card, USERS.approver1);
    const results = await fileIn(h, () => h.slack.files.inThread(card.channel, card.ts), /^results-/);
    expect(rowsOf(h.slack.files.text(results)).map((r) => r.username)).toEqual(["'@evil1", "'-evil2"]);
    // The vendor got the names as typed: only the files the bot writes are neutralised.
    expect(h.cert.users().map((u) => u.userName)).toEqual(expect.arrayContaining(['@evil1', '-evil2']));
  });

  it('/newuser cert template sends a template whose example row passes the check', async () => {
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'cert template' });
    await waitForEphemeral(h.slack, USERS.requester, /template is in your DM/);
    const template = await fileIn(h, () => h.slack.files.inDm(USERS.requester), /^cert-bulk-template/);
    expect(template.comment).toMatch(/userName.*required/);
    const text = h.slack.files.text(template);
    expect(text.split('\r\n')[0]).toMatch(/^userName,firstName,lastName/);
    const filled = h.slack.files.userFile(USERS.requester, 'filled.csv', text);
    const { ack } = await chooseFile(h, filled);
    expect(ack?.response_action).toBe('update');
    expect(plainText({ text: '', blocks: h.slack.lastView(USERS.requester)!.blocks })).toContain(
      '1 row read, 1 ready, 0 with problems',
    );
    expect((await h.slack.submitView({ user: USERS.requester })).ack?.response_action).toBeUndefined();
    // The same file a second time (another modal, a second click) is not requested twice.
    await chooseFile(h, filled);
    const again = await h.slack.submitView({ user: USERS.requester });
    expect(again.ack?.response_action).toBe('update');
    expect(plainText({ text: '', blocks: h.slack.lastView(USERS.requester)!.blocks })).toContain(
      'this file was already requested',
    );
    const fromFile = (await h.runtime.store.listRequests({ vendor: 'cert' })).filter((r) =>
      plainText({ text: JSON.stringify(r.facts), blocks: [] }).includes('filled.csv'),
    );
    expect(fromFile).toHaveLength(1);
  });

  it('a file with an unknown column is refused where it was chosen', async () => {
    const { ack } = await chooseFile(
      h,
      h.slack.files.userFile(USERS.requester, 'odd.csv', 'userName,colour\nx,red\n'),
    );
    expect(ack?.response_action).toBe('errors');
    expect(ack?.errors?.[BLOCK.bulkFile]).toMatch(/Unknown column colour/);
  });

  it('audit: an admin gets the trail as CSV in a DM (decisions with their reasons); anyone else is refused', async () => {
    await requestAccount(h.slack, 'cert', {
      ...CERT_USER1,
      userName: 'audited1',
      email: 'audited1@example.com',
    });
    const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('audited1'));
    await deny(h.slack, card, USERS.approver1, HOSTILE_REASON);
    await waitForReply(h.slack, card, /denied/);

    await h.slack.slashCommand({ user: USERS.outsider, command: '/newuser', text: 'audit 7' });
    await waitForEphemeral(h.slack, USERS.outsider, /Only Access Desk admins/);
    expect(h.slack.files.inDm(USERS.outsider)).toEqual([]);

    await h.slack.slashCommand({ user: USERS.approver2, command: '/newuser', text: 'audit 7 cert' });
    await waitForEphemeral(h.slack, USERS.approver2, /audit trail \(\d+ events\)/);
    const audit = await fileIn(h, () => h.slack.files.inDm(USERS.approver2), /^access-desk-audit-cert/);
    const rows = rowsOf(h.slack.files.text(audit));
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['requested', 'prechecked', 'denied']) expect(actions).toContain(a);
    expect(rows.every((r) => r.vendor === 'cert')).toBe(true);
    const denied = rows.find((r) => r.action === 'denied' && r.request_id);
    expect(denied?.reason).toBe(`'${HOSTILE_REASON}`);
    // The refused export is audited, without a vendor; the vendor filter leaves it out.
    expect(rows.some((r) => r.action === 'audit_export_refused')).toBe(false);
  });
});
