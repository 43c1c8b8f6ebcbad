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

/**
 * The approval cards of `names` posted in `channel` since `from`, once each shows its pre-check;
 * resolves with their ts in the order of `names`. A card whose pre-check finished before it was
 * posted (another slot or replica ran it first) carries it in the post itself.
 */
export async function precheckedCards(
  slack: FakeSlack,
  from: number,
  channel: string,
  names: readonly string[],
): Promise<string[]> {
  const posted = await collect(
    slack,
    from,
    names,
    (e) =>
      e.kind === 'post' && e.channel === channel && !e.threadTs
        ? names.find((n) => e.text.includes(n))
        : undefined,
    'cards',
  );
  const cardTs = names.map((n) => posted.get(n)!.ts!);
  await collect(
    slack,
    from,
    cardTs,
    (e) =>
      (e.kind === 'update' || e.kind === 'post') && /Not found at the vendor/.test(e.text) ? e.ts : undefined,
    'pre-checks',
  );
  return cardTs;
}
