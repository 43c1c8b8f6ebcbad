/**
 * A bot killed (SIGKILL) after Slack shared a batch's results file in the card's thread but before
 * the job's completion was committed: the next bot process reclaims the job, finds the file by its
 * name (which carries the job's id) in the thread, and does not upload it again. The real bot
 * (`src/main.ts`, real Bolt) as two OS processes on one SQLite file, against the fake Slack and the
 * Certification simulator.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK } from '../../src/slack/views/ids.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Job } from '../../src/store/store.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { plainText } from '../fakes/fake-slack/index.ts';
import { useBotDeployment } from '../integration/bot-process.ts';
import { USERS } from '../integration/harness.ts';
import { approve, openBulkModal, WHY, waitForCard, waitForReply } from '../integration/scenario.ts';
import { eventually } from './chaos-kit.ts';

/** Short, so the second process reclaims the dead one's job soon (real time: separate processes). */
const LEASE_MS = 2_000;

const CSV = [
  'userName,firstName,lastName,email,roles,departmentId',
  'killfile0,First0,Last0,killfile0@example.com,Certification:Reconciler,SALES',
  'killfile1,First1,Last1,killfile1@example.com,Certification:Reconciler,SALES',
].join('\r\n');

const deploy = useBotDeployment();

describe('SIGKILL between Slack sharing a file and the job’s completion', () => {
  it('the results file is uploaded once: the next process finds it in the thread and completes the job', async () => {
    const { f, d } = await deploy({ WORKER_LEASE_MS: String(LEASE_MS), WORKER_POLL_MS: '100' });
    // Slack shares the file in the thread; the first bot never hears back.
    const lostAnswer = f.slack.loseAnswer('files.completeUploadExternal', (a) => a.thread_ts !== undefined);

    const first = await d.start();
    const view = await openBulkModal(f.slack, 'cert');
    await f.slack.submitView({
      user: USERS.requester,
      viewId: view.id,
      values: {
        [BLOCK.bulkFile]: {
          value: f.slack.files.fileInput(f.slack.files.userFile(USERS.requester, 'kill.csv', CSV)),
        },
        justification: { value: WHY },
      },
    });
    await f.slack.submitView({ user: USERS.requester });
    const card = await waitForCard(f.slack, 'cert', (m) => plainText(m).includes('kill.csv'));
    await approve(f.slack, card, USERS.approver1);
    await waitForReply(f.slack, card, /2 created/);
    await lostAnswer;
    first.bot.kill('SIGKILL');
    await f.slack.waitFor(() => f.slack.connections === 0, { timeoutMs: 10_000, description: 'disconnect' });

    await d.start();
    const store = await openStore(
      { sqlitePath: d.sqlitePath, secretKey: d.secretKey },
      { log: captureLogger('silent').log },
    );
    let jobs: Job[] = [];
    try {
      const [req] = await store.listRequests({ vendor: 'cert', limit: 10 });
      jobs = await eventually('every job done', async () => {
        const all = await store.listJobs(req!.id);
        return all.every((j) => j.state === 'done') && all;
      });
    } finally {
      await store.close();
    }
    const fileJob = jobs.find((j) => j.kind === 'results-file');
    expect(fileJob).toMatchObject({ attempts: 2 });
    const shared = f.slack.files.inThread(card.channel, card.ts);
    expect(shared.map((s) => s.name)).toEqual([
      expect.stringMatching(new RegExp(`-job${fileJob!.id}\\.csv$`)),
    ]);
    const completes = f.slack
      .calls('files.completeUploadExternal')
      .filter((c) => c.args.thread_ts === card.ts);
    expect(completes).toHaveLength(1);
    // The second attempt looked in the thread before uploading.
    const looks = f.slack.calls('conversations.replies').filter((c) => c.args.ts === card.ts);
    expect(looks).toHaveLength(1);
    expect(f.cert.createCalls).toBe(1);
    expect(f.slack.violations()).toEqual([]);
  }, 90_000);
});
