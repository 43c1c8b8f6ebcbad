/**
 * End to end on the integration harness with the system clock: the real Bolt app over Socket Mode
 * against the fake Slack, the PAM360 and PJM simulators over HTTPS, the worker and SQLite on disk.
 * Each wait is armed before the user's action so the time is taken when the fake Slack records the
 * bot's answer, not when this loop gets round to looking.
 */
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/domain/clock.ts';
import { CALLBACK } from '../src/slack/views/ids.ts';
import { captureLogger } from '../test/fakes/capture-log.ts';
import { CHANNELS, type Harness, startHarness, USERS } from '../test/integration/harness.ts';
import {
  approve,
  form,
  plainText,
  waitForCard,
  waitForCardText,
  waitForReply,
} from '../test/integration/scenario.ts';
import { type BenchRow, latencyRow } from './bench-stats.ts';

export interface E2eBenchSizes {
  requests: number;
  warmup: number;
}

export const E2E_BENCH_SIZES: E2eBenchSizes = { requests: 30, warmup: 3 };

export interface E2eBenchResult {
  rows: BenchRow[];
  /** Things seen along the way that the numbers do not show (Slack limit violations). */
  notes: string[];
}

/** Resolves with the value and the moment the predicate first held. */
const stamped = <T>(wait: Promise<T>): Promise<{ value: T; at: number }> =>
  wait.then((value) => ({ value, at: performance.now() }));

async function openNewUserModal(h: Harness): Promise<string> {
  const user = USERS.requester;
  const known = new Set(h.slack.views(user).map((v) => v.id));
  await h.slack.slashCommand({ user, command: '/newuser', text: 'pam360', channel: CHANNELS.general });
  const view = await h.slack.waitFor(
    () => h.slack.views(user).find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
    { timeoutMs: 5_000, description: 'the PAM360 modal' },
  );
  return view.id;
}

/** One PAM360 request through submission, pre-check, approval and the result reply. */
async function pam360Request(
  h: Harness,
  username: string,
): Promise<{ toCardMs: number; toResultMs: number }> {
  const viewId = await openNewUserModal(h);
  const card = stamped(waitForCard(h.slack, 'pam360', (m) => plainText(m).includes(username)));
  const submitted = performance.now();
  const ack = await h.slack.submitView({
    user: USERS.requester,
    viewId,
    values: form({
      userType: 'api',
      FIRSTNAME: 'Bench',
      LASTNAME: 'User',
      USERNAME: username,
      EMAIL: `${username}@example.com`,
    }),
  });
  if (ack.ack?.response_action === 'errors')
    throw new Error(`bench: modal refused ${JSON.stringify(ack.ack)}`);
  const posted = await card;
  // An approver reads the card after the pre-check has been rendered on it.
  await waitForCardText(h.slack, 'pam360', posted.value, /Not found at the vendor/);
  const result = stamped(waitForReply(h.slack, posted.value, /USERID/));
  const clicked = performance.now();
  await approve(h.slack, posted.value, USERS.approver1);
  const replied = await result;
  return { toCardMs: posted.at - submitted, toResultMs: replied.at - clicked };
}

/** `/lookup <text>` → the ephemeral answer, which must match `expected`. */
async function lookupOnce(h: Harness, text: string, expected: RegExp): Promise<number> {
  const user = USERS.approver2;
  const before = h.slack.ephemerals(user).length;
  const answer = stamped(
    h.slack.waitFor(() => h.slack.ephemerals(user).slice(before)[0], {
      timeoutMs: 10_000,
      description: `the answer to /lookup ${text}`,
    }),
  );
  const sent = performance.now();
  await h.slack.slashCommand({ user, command: '/lookup', text, channel: CHANNELS.general });
  const got = await answer;
  const shown = got.value.text + JSON.stringify(got.value.blocks);
  if (!expected.test(shown)) throw new Error(`bench: /lookup ${text} answered ${got.value.text}`);
  return got.at - sent;
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

const matchesUser = (name: string) => new RegExp(`1 match.*${name}`, 's');

export async function runE2eBench(sizes: E2eBenchSizes = E2E_BENCH_SIZES): Promise<E2eBenchResult> {
  const logs = captureLogger('info');
  const h = await startHarness({ clock: systemClock, log: logs.log });
  try {
    const total = sizes.warmup + sizes.requests;
    const emails = seedPjmUsers(h, total);
    const toCard: number[] = [];
    const toResult: number[] = [];
    const pamLookup: number[] = [];
    const pjmLookup: number[] = [];
    for (let i = 0; i < total; i++) {
      const username = `bench${String(i).padStart(3, '0')}`;
      const request = await pam360Request(h, username);
      const pam = await lookupOnce(h, `pam360 ${username}`, matchesUser(username));
      const pjm = await lookupOnce(h, `pjm ${emails[i]}`, matchesUser(`pjmbench${i}`));
      if (i < sizes.warmup) continue;
      toCard.push(request.toCardMs);
      toResult.push(request.toResultMs);
      pamLookup.push(pam);
      pjmLookup.push(pjm);
    }
    const group = 'end to end (Socket Mode)';
    const violations = h.slack.violations();
    return {
      rows: [
        latencyRow(group, 'PAM360 modal submit → approval card posted', toCard),
        latencyRow(group, 'PAM360 Approve click → result reply in thread', toResult),
        latencyRow(group, '/lookup pam360 <user> → ephemeral answer', pamLookup),
        latencyRow(group, '/lookup pjm <email> → ephemeral answer', pjmLookup),
      ],
      notes: violations.map((v) => `fake Slack limit violation: ${JSON.stringify(v).slice(0, 200)}`),
    };
  } finally {
    await h.close();
  }
}
