/**
 * A bot killed (SIGKILL) after Slack accepted a message but before the job's completion was
 * committed: the next bot process reclaims the job once its lease expires, finds the message by
 * the key in its metadata, and does not post it again. The real bot (`src/main.ts`, real Bolt) as
 * two OS processes on one SQLite file, against the fake Slack and the PAM360 simulator.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import type { Job } from '../../src/store/store.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { plainText, type StoredMessage } from '../fakes/fake-slack/index.ts';
import { useBotDeployment } from '../integration/bot-process.ts';
import { CHANNELS, type Fakes, USERS } from '../integration/harness.ts';
import {
  approve,
  requestAccount,
  waitForCard,
  waitForCardText,
  waitForDm,
  waitForReply,
} from '../integration/scenario.ts';
import { eventually, pam360Form } from './chaos-kit.ts';

/** Short, so the second process reclaims the dead one's job soon (real time: separate processes). */
const LEASE_MS = 2_000;

const deploy = useBotDeployment();

/** The card, once its pre-check shows, approved by an approver. */
async function approveWhenChecked(f: Fakes): Promise<StoredMessage> {
  const card = await waitForCard(f.slack, 'pam360');
  const checked = await waitForCardText(f.slack, 'pam360', card, /Not found at the vendor/);
  await approve(f.slack, checked, USERS.approver1);
  return checked;
}

const posted = (f: Fakes, match: (args: Record<string, unknown>) => boolean) =>
  f.slack.calls('chat.postMessage').filter((c) => c.ok && match(c.args));

type Lost = 'card' | 'outcome reply' | 'outcome DM';

/** Which chat.postMessage's answer the first bot never gets. */
const LOSE: Record<Lost, (card: () => StoredMessage | undefined) => (a: Record<string, unknown>) => boolean> =
  {
    card: () => (a) => a.channel === CHANNELS.pam360 && a.thread_ts === undefined,
    'outcome reply': (card) => (a) => a.thread_ts === card()?.ts && JSON.stringify(a).includes('USERID'),
    'outcome DM': () => (a) => a.channel === USERS.requester && JSON.stringify(a).includes('account for'),
  };

/** The job that sends it. */
const KIND: Record<Lost, string> = {
  card: 'render-card',
  'outcome reply': 'thread-reply',
  'outcome DM': 'notify-requester',
};

describe('SIGKILL between Slack’s answer and the job’s completion', () => {
  it.each(['card', 'outcome reply', 'outcome DM'] as const)(
    'the %s is posted once: the next process finds it in Slack and completes the job',
    async (lost) => {
      const { f, d } = await deploy({ WORKER_LEASE_MS: String(LEASE_MS), WORKER_POLL_MS: '100' });
      let card: StoredMessage | undefined;
      const lostAnswer = f.slack.loseAnswer(
        'chat.postMessage',
        LOSE[lost](() => card),
      );
      const username = `sigkill-${lost.replace(' ', '-')}`.replace(/[^a-z-]/g, '');

      const first = await d.start();
      await requestAccount(f.slack, 'pam360', pam360Form(username));
      if (lost !== 'card') {
        card = await approveWhenChecked(f);
      }
      // Slack posted the message; the bot waits for the answer and is killed before it comes.
      await lostAnswer;
      first.bot.kill('SIGKILL');
      await f.slack.waitFor(() => f.slack.connections === 0, {
        timeoutMs: 10_000,
        description: 'disconnect',
      });

      await d.start();
      if (lost === 'card') {
        card = await approveWhenChecked(f);
      }
      const settled = card!;
      await waitForReply(f.slack, settled, /USERID/);
      await waitForDm(f.slack, USERS.requester, /account for/);
      // The DM may be the first process's: wait until the second has finished every job.
      const store = await openStore(
        { sqlitePath: d.sqlitePath, secretKey: d.secretKey },
        { log: captureLogger('silent').log },
      );
      let jobs: Job[] = [];
      try {
        const [req] = await store.listRequests({ limit: 10 });
        expect(req?.card?.ts).toBe(settled.ts);
        jobs = await eventually('every job done', async () => {
          const all = await store.listJobs(req!.id);
          return all.every((j) => j.state === 'done') && all;
        });
      } finally {
        await store.close();
      }
      expect(posted(f, (a) => a.channel === CHANNELS.pam360 && a.thread_ts === undefined)).toHaveLength(1);
      expect(f.slack.messages(CHANNELS.pam360)).toHaveLength(1);
      const outcomes = f.slack
        .thread(settled.channel, settled.ts)
        .filter((m) => plainText(m).includes('USERID'));
      expect(outcomes).toHaveLength(1);
      const dms = f.slack.dms(USERS.requester).filter((m) => plainText(m).includes('account for'));
      expect(dms).toHaveLength(1);
      // The job the first process died in ran a second time, and looked in Slack before posting.
      expect(jobs.filter((j) => j.kind === KIND[lost] && j.attempts === 2)).toHaveLength(1);
      const looks = [...f.slack.calls('conversations.history'), ...f.slack.calls('conversations.replies')];
      expect(looks).toHaveLength(1);
      expect(String(looks[0]?.args.include_all_metadata)).toBe('true');

      expect(f.pam360.createCalls).toBe(1);
    },
    90_000,
  );
});
