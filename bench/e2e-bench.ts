/**
 * End to end on the integration harness with the system clock: the real Bolt app over Socket Mode
 * against the fake Slack, the PAM360 and PJM simulators over HTTPS, the worker and SQLite on disk.
 * First one request at a time (what one user waits), then a burst of requests submitted and
 * approved all at once (what users wait when the worker and Slack queue up).
 */
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/domain/clock.ts';
import { captureLogger } from '../test/fakes/capture-log.ts';
import { CHANNELS, type Harness, startHarness, USERS } from '../test/integration/harness.ts';
import { approve } from '../test/integration/scenario.ts';
import { type BenchRow, latencyRow } from './bench-stats.ts';
import {
  approveToResult,
  awaitPrecheck,
  lookupOnce,
  openPam360Modal,
  pam360Form,
  submitPam360,
  watchTranscript,
} from './e2e-steps.ts';

export interface E2eBenchSizes {
  requests: number;
  warmup: number;
  burst: number;
}

export const E2E_BENCH_SIZES: E2eBenchSizes = { requests: 30, warmup: 3, burst: 30 };

export interface E2eBenchResult {
  rows: BenchRow[];
  /** Things seen along the way that the numbers do not show (Slack limit violations). */
  notes: string[];
}

function seedPjmUsers(h: Harness, count: number): string[] {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `pjmbench${i}@example.com`;
    h.pjm.seedUser({
      username: `pjmbench${i}`,
      firstName: 'Bench',
      lastName: `User ${i}`,
      email,
      // Every other user holds two accounts, so the answer groups rows.
      accounts: i % 2 === 0 ? ['ACCT', 'OTHR'] : ['ACCT'],
    });
    emails.push(email);
  }
  return emails;
}

const ACKED = 'PAM360 modal submit → ack (Slack allows 3 s)';
const matchesUser = (name: string) => new RegExp(`1 match.*${name}`, 's');

async function sequential(h: Harness, sizes: E2eBenchSizes): Promise<BenchRow[]> {
  const total = sizes.warmup + sizes.requests;
  const emails = seedPjmUsers(h, total);
  const toAck: number[] = [];
  const toCard: number[] = [];
  const toResult: number[] = [];
  const pamLookup: number[] = [];
  const pjmLookup: number[] = [];
  for (let i = 0; i < total; i++) {
    const username = `bench${String(i).padStart(3, '0')}`;
    const viewId = await openPam360Modal(h, USERS.requester);
    const submitted = await submitPam360(h, USERS.requester, viewId, username);
    await awaitPrecheck(h, submitted.card);
    const result = await approveToResult(h, submitted.card);
    const pam = await lookupOnce(h, `pam360 ${username}`, matchesUser(username));
    const pjm = await lookupOnce(h, `pjm ${emails[i]}`, matchesUser(`pjmbench${i}`));
    if (i < sizes.warmup) continue;
    toAck.push(submitted.ackMs);
    toCard.push(submitted.ms);
    toResult.push(result);
    pamLookup.push(pam);
    pjmLookup.push(pjm);
  }
  const group = 'e2e, one at a time';
  return [
    latencyRow(group, ACKED, toAck),
    latencyRow(group, 'PAM360 modal submit → approval card posted', toCard),
    latencyRow(group, 'PAM360 Approve click → result reply in thread', toResult),
    latencyRow(group, '/lookup pam360 <user> → ephemeral answer', pamLookup),
    latencyRow(group, '/lookup pjm <email> → ephemeral answer', pjmLookup),
  ];
}

/** `burst` requesters submit at the same moment; then one approver clicks every card at once. */
async function burst(h: Harness, sizes: E2eBenchSizes): Promise<BenchRow[]> {
  const requesters = Array.from({ length: sizes.burst }, (_, i) => `U0BURST${i}`);
  const usernames = requesters.map((_, i) => `burst${String(i).padStart(3, '0')}`);
  const viewIds: string[] = [];
  for (const user of requesters) viewIds.push(await openPam360Modal(h, user));

  const posted = watchTranscript(
    h,
    usernames,
    (e, name) => e.kind === 'post' && e.channel === CHANNELS.pam360 && e.text.includes(name),
  );
  const submitted = await Promise.all(
    requesters.map(async (user, i) => {
      const at = performance.now();
      await h.slack.submitView({ user, viewId: viewIds[i]!, values: pam360Form(usernames[i]!) });
      return { at, ackMs: performance.now() - at };
    }),
  );
  const cards = await posted;
  const cardOf = (name: string) => h.slack.message(CHANNELS.pam360, cards.get(name)!.entry.ts!)!;
  for (const name of usernames) await awaitPrecheck(h, cardOf(name));

  const replied = watchTranscript(
    h,
    usernames,
    (e, name) => e.kind === 'reply' && e.threadTs === cards.get(name)!.entry.ts && /USERID/.test(e.text),
  );
  const clicked = await Promise.all(
    usernames.map(async (name) => {
      const at = performance.now();
      await approve(h.slack, cardOf(name), USERS.approver1);
      return at;
    }),
  );
  const results = await replied;
  const group = `e2e, burst of ${sizes.burst}`;
  return [
    latencyRow(
      group,
      ACKED,
      submitted.map((s) => s.ackMs),
    ),
    latencyRow(
      group,
      'PAM360 modal submit → approval card posted',
      usernames.map((name, i) => cards.get(name)!.at - submitted[i]!.at),
    ),
    latencyRow(
      group,
      'PAM360 Approve click → result reply in thread',
      usernames.map((name, i) => results.get(name)!.at - clicked[i]!),
    ),
  ];
}

export async function runE2eBench(sizes: E2eBenchSizes = E2E_BENCH_SIZES): Promise<E2eBenchResult> {
  const logs = captureLogger('info');
  const h = await startHarness({ clock: systemClock, log: logs.log });
  try {
    const rows = [...(await sequential(h, sizes)), ...(await burst(h, sizes))];
    const notes = h.slack
      .violations()
      .map((v) => `fake Slack limit violation: ${JSON.stringify(v).slice(0, 200)}`);
    return { rows, notes };
  } finally {
    await h.close();
  }
}
