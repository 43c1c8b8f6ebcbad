/**
 * SIGTERM while a create call is in flight: the real bot (`src/main.ts`, its own process) stops
 * within SHUTDOWN_TIMEOUT_MS, hands its job back instead of leaving it leased, and a second process
 * on the same store finishes the request once.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { useBotDeployment } from './bot-process.ts';
import { USERS } from './harness.ts';
import { approve, plainText, requestAccount, waitForCard, waitForReply } from './scenario.ts';

const SHUTDOWN_TIMEOUT_MS = 4_000;

const deploy = useBotDeployment();

describe('graceful shutdown', () => {
  it('SIGTERM mid create call: exits 0 within the bound, the job is handed back, a second process finishes it once', async () => {
    const { f, d } = await deploy({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
    const { sqlitePath, secretKey } = d;

    const first = await d.start();
    const held = f.pam360.hold('createUser');
    await requestAccount(f.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Shut',
      LASTNAME: 'Down',
      USERNAME: 'shutdown1',
      EMAIL: 'shut.down@example.com',
    });
    const card = await waitForCard(f.slack, 'pam360');
    await approve(f.slack, card, USERS.approver1);
    await held.reached;

    const exited = once(first.bot, 'exit');
    const sent = performance.now();
    first.bot.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    // A bound on correctness (the setting), not a speed measurement.
    expect(performance.now() - sent).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1_000);
    expect(code, first.output()).toBe(0);
    expect(first.output()).toMatch(/"msg":"stopped"/);

    const { log } = captureLogger('silent');
    const store = await openStore({ sqlitePath, secretKey }, { log });
    try {
      const [req] = await store.listRequests({ limit: 10 });
      const jobs = await store.listJobs(req!.id);
      expect(jobs.filter((j) => j.state === 'running')).toEqual([]);
      expect(jobs.find((j) => j.kind === 'provision')).toMatchObject({ state: 'queued', leaseOwner: null });
    } finally {
      await store.close();
    }

    // The held call reaches PAM360 after all (it was sent): the next process must not create twice.
    held.release();
    await d.start();
    await waitForReply(f.slack, card, /USERID|already exists/);
    expect(f.pam360.createCalls).toBe(1);
    const outcomes = f.slack
      .thread(card.channel, card.ts!)
      .filter((m) => /USERID|already exists/.test(plainText(m)));
    expect(outcomes).toHaveLength(1);
  }, 60_000);
});
