/** Waits on the fakes for the benchmarks: polled (cheaply), never re-run on every fake-Slack change. */
import { performance } from 'node:perf_hooks';
import type { FakeSlack, TranscriptEntry } from '../test/fakes/fake-slack/index.ts';

const WAIT_MS = 60_000;
const POLL_MS = 25;
/** No Slack call from the bot for this long: its follow-up work is done. */
const QUIET_MS = 150;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `found` returns a value; fails after a minute naming `what`. */
export async function pollUntil<T>(
  found: () => T | undefined | false,
  what: string,
  pollMs = POLL_MS,
): Promise<T> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const v = found();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`bench: waited ${WAIT_MS} ms for ${what}`);
    await sleep(pollMs);
  }
}

/** Resolves once the bot has made no Slack call for QUIET_MS. */
export async function quiet(slack: FakeSlack): Promise<void> {
  let seen = -1;
  let since = performance.now();
  await pollUntil(() => {
    const n = slack.calls().length;
    if (n !== seen) {
      seen = n;
      since = performance.now();
    }
    return performance.now() - since >= QUIET_MS;
  }, 'the bot to go quiet');
}

/** Transcript entries since `from` that match, by key; resolves when every key has one. */
export function collect<K>(
  slack: FakeSlack,
  from: number,
  keys: readonly K[],
  keyOf: (e: TranscriptEntry) => K | undefined,
  what: string,
): Promise<Map<K, TranscriptEntry>> {
  const wanted = new Set(keys);
  const found = new Map<K, TranscriptEntry>();
  let seen = from;
  return pollUntil(() => {
    const entries = slack.transcript().slice(seen);
    seen += entries.length;
    for (const e of entries) {
      const k = keyOf(e);
      if (k !== undefined && wanted.has(k) && !found.has(k)) found.set(k, e);
    }
    return found.size === wanted.size && found;
  }, `${keys.length} ${what}`);
}
