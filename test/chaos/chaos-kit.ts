/**
 * Shared steps of the chaos tests: form values per vendor, waits on the store (state that Slack
 * does not show), moving the fake clock so scheduled retries run, and a real restart of the bot.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../../src/config/schema.ts';
import type { AccessRequest, RequestStatus, VendorId } from '../../src/domain/request.ts';
import { startAccessDesk } from '../../src/runtime.ts';
import type { Job } from '../../src/store/store.ts';
import { FakeClock } from '../fakes/fake-clock.ts';
import type { StoredMessage, ValueInput } from '../fakes/fake-slack/index.ts';
import type { Harness } from '../integration/harness.ts';
import { plainText, requestAccount, waitForCard, waitForCardText } from '../integration/scenario.ts';

/** Real-time deadline for waits on the store; generous for a slow, shared machine. */
const STORE_WAIT_MS = 10_000;
const POLL_MS = 10;

export const pam360Form = (username: string, userType: 'normal' | 'api' = 'normal') => ({
  userType,
  FIRSTNAME: 'Chaos',
  LASTNAME: 'Monkey',
  USERNAME: username,
  EMAIL: `${username}@example.com`,
});

export const pjmForm = (username: string) => ({
  username,
  firstName: 'Chaos',
  lastName: 'Monkey',
  jobTitle: 'Engineer',
  phone: '555-555-5555',
  email: `${username}@fake.com`,
  employer: 'ACCT',
  employedAs: 'Employee',
  accountAccess: ['PJM Public'],
});

/** Certification generates the password (CERT_USER_PASSWORDS=generate): none is typed. */
export const certForm = (userName: string) => ({
  userName,
  firstName: 'Chaos',
  lastName: 'Monkey',
  email: `${userName}@localhost.local`,
  roles: ['Certification:Reconciler'],
  departmentId: 'SALES',
  locationId: 'Americas',
});

export function fakeClockOf(h: Harness): FakeClock {
  if (!(h.clock instanceof FakeClock)) throw new Error('chaos tests need the harness fake clock');
  return h.clock;
}

/** Polls `probe` (async: it reads the store) until it returns a value, or fails after a deadline. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = STORE_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The stored request behind a card (its subject is unique per test). */
export async function requestOfCard(
  h: Harness,
  vendor: VendorId,
  card: StoredMessage,
): Promise<AccessRequest> {
  return eventually(`the request behind card ${card.ts}`, async () => {
    const all = await h.runtime.store.listRequests({ vendor, limit: 200 });
    return all.find((r) => plainText(card).includes(r.id));
  });
}

export function waitForStatus(
  h: Harness,
  id: string,
  statuses: readonly RequestStatus[],
): Promise<AccessRequest> {
  return eventually(`request ${id} to reach ${statuses.join('|')}`, async () => {
    const req = await h.runtime.store.getRequest(id);
    return statuses.includes(req.status) ? req : undefined;
  });
}

/** The request's job of this kind that waits for a later run (a retry scheduled in clock time). */
export function waitForScheduledJob(h: Harness, id: string, kind: string): Promise<Job> {
  return eventually(`a scheduled ${kind} job of ${id}`, async () => {
    const now = h.clock.now().getTime();
    const jobs = await h.runtime.store.listJobs(id);
    return jobs.find((j) => j.kind === kind && j.state === 'queued' && j.runAfter.getTime() > now);
  });
}

/** Let clock time pass so scheduled retries are due, and tell the worker to look. */
export function advance(h: Harness, ms: number): void {
  fakeClockOf(h).advance(ms);
  h.runtime.worker.wake();
}

/** /newuser → card posted → the card shows the pre-check's finding. */
export async function submitAndWaitForCard(
  h: Harness,
  vendor: VendorId,
  values: Record<string, ValueInput>,
  subject: string,
  requester?: string,
): Promise<{ card: StoredMessage; request: AccessRequest }> {
  const ack = await requestAccount(h.slack, vendor, values, requester);
  if (ack.ack?.response_action === 'errors') throw new Error(`form refused: ${JSON.stringify(ack.ack)}`);
  const card = await waitForCard(h.slack, vendor, (m) => plainText(m).includes(subject));
  const checked = await waitForCardText(
    h.slack,
    vendor,
    card,
    /Not found at the vendor|Could not confirm|Already exists/,
  );
  return { card: checked, request: await requestOfCard(h, vendor, checked) };
}

/** Top-level posts the bot made in a channel (each card posting counts once). */
export const cardPosts = (h: Harness, channel: string) =>
  h.slack.calls('chat.postMessage').filter((c) => c.ok && c.args.channel === channel && !c.args.thread_ts);

/**
 * Stops the running bot and starts it again with a changed configuration on the same SQLite file,
 * fake Slack, simulators, logger and clock: a deploy of new settings, or a crash and restart.
 */
export async function restartWith(h: Harness, patch: (config: Config) => Config): Promise<void> {
  const log = h.runtime.deps.log;
  await h.runtime.stop();
  await h.slack.waitFor(() => h.slack.connections === 0, { timeoutMs: 10_000, description: 'disconnect' });
  const config = patch(h.config);
  const runtime = await startAccessDesk({ config, log, clock: h.clock });
  h.runtime = runtime;
  h.config = config;
  // The harness's own close() would stop the first runtime a second time; this one stops the new one.
  h.close = async () => {
    await runtime.stop();
    await Promise.all([h.slack.close(), h.pjm.close(), h.pam360.close(), h.cert.close()]);
    rmSync(dirname(config.store.sqlitePath), { recursive: true, force: true });
  };
  await h.slack.waitFor(() => h.slack.connections > 0, { timeoutMs: 10_000, description: 'reconnect' });
}
