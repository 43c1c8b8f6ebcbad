/**
 * User steps for the end-to-end benchmarks, each returning the moment the fake Slack recorded the
 * bot's answer: waits are armed before the action, so the time is not the loop's polling delay.
 */
import { performance } from 'node:perf_hooks';
import { CALLBACK } from '../src/slack/views/ids.ts';
import type { StoredMessage, TranscriptEntry } from '../test/fakes/fake-slack/index.ts';
import { CHANNELS, type Harness, USERS } from '../test/integration/harness.ts';
import {
  approve,
  form,
  plainText,
  WHY,
  waitForCard,
  waitForCardText,
  waitForReply,
} from '../test/integration/scenario.ts';

/** Resolves with the value and the moment the wait resolved. */
export const stamped = <T>(wait: Promise<T>): Promise<{ value: T; at: number }> =>
  wait.then((value) => ({ value, at: performance.now() }));

/** `/newuser pam360` by `user`; resolves with the id of the modal it opened. */
export async function openPam360Modal(h: Harness, user: string): Promise<string> {
  const known = new Set(h.slack.views(user).map((v) => v.id));
  await h.slack.slashCommand({ user, command: '/newuser', text: 'pam360', channel: CHANNELS.general });
  const view = await h.slack.waitFor(
    () => h.slack.views(user).find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
    { timeoutMs: 10_000, description: 'the PAM360 modal' },
  );
  return view.id;
}

/** The PAM360 modal filled in for an API user. */
export const pam360Form = (username: string) =>
  form({
    justification: WHY,
    userType: 'api',
    FIRSTNAME: 'Bench',
    LASTNAME: 'User',
    USERNAME: username,
    EMAIL: `${username}@example.com`,
  });

/** Submits the modal; resolves with the card and the ms from submission to the ack and to the card. */
export async function submitPam360(
  h: Harness,
  user: string,
  viewId: string,
  username: string,
): Promise<{ card: StoredMessage; ackMs: number; ms: number }> {
  const card = stamped(waitForCard(h.slack, 'pam360', (m) => plainText(m).includes(username)));
  const submitted = performance.now();
  const ack = await h.slack.submitView({
    user,
    viewId,
    values: pam360Form(username),
  });
  const ackMs = performance.now() - submitted;
  if (ack.ack?.response_action === 'errors')
    throw new Error(`bench: modal refused ${JSON.stringify(ack.ack)}`);
  const posted = await card;
  return { card: posted.value, ackMs, ms: posted.at - submitted };
}

/** An approver reads the card once the pre-check is rendered on it. */
export const awaitPrecheck = (h: Harness, card: StoredMessage) =>
  waitForCardText(h.slack, 'pam360', card, /Not found at the vendor/);

/** Approve; resolves with the ms from the click to the USERID reply in the thread. */
export async function approveToResult(h: Harness, card: StoredMessage): Promise<number> {
  const result = stamped(waitForReply(h.slack, card, /USERID/));
  const clicked = performance.now();
  await approve(h.slack, card, USERS.approver1);
  return (await result).at - clicked;
}

/** `/lookup <text>` → the ephemeral answer, which must match `expected`; resolves with the ms. */
export async function lookupOnce(h: Harness, text: string, expected: RegExp): Promise<number> {
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

/**
 * One waiter for many answers (many per-answer waiters would each rescan the channel on every
 * change and bill that to the bot): stamps the first new transcript entry matching each key.
 */
export function watchTranscript<K>(
  h: Harness,
  keys: readonly K[],
  matches: (entry: TranscriptEntry, key: K) => boolean,
): Promise<Map<K, { entry: TranscriptEntry; at: number }>> {
  const found = new Map<K, { entry: TranscriptEntry; at: number }>();
  let seen = h.slack.transcript().length;
  return h.slack.waitFor(
    () => {
      const entries = h.slack.transcript().slice(seen);
      seen += entries.length;
      const at = performance.now();
      for (const entry of entries)
        for (const key of keys) if (!found.has(key) && matches(entry, key)) found.set(key, { entry, at });
      return found.size === keys.length && found;
    },
    { timeoutMs: 30_000, description: `${keys.length} answers` },
  );
}
