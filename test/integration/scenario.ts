/** Steps of a conversation with the bot, as a user would take them in Slack. */
import type { VendorId } from '../../src/domain/request.ts';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';
import type { FakeSlack, StoredMessage, ValueInput } from '../fakes/fake-slack/index.ts';
import { plainText } from '../fakes/fake-slack/index.ts';
import { CHANNELS, USERS } from './harness.ts';

export const channelOf = (vendor: VendorId) => CHANNELS[vendor];

/** Every form block's single input has action_id "value". */
export const form = (values: Record<string, ValueInput>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));

/** Every test request's answer to "Why is this needed?", unless it gives its own. */
export const WHY = 'Joins the reconciliation team';

/** Runs `open` (a command or a click) and returns the new modal it opened for `user`. */
export async function modalOpenedBy(
  slack: FakeSlack,
  user: string,
  open: () => Promise<unknown>,
  callbackId: string = CALLBACK.newUser,
) {
  const known = new Set(slack.views(user).map((v) => v.id));
  await open();
  return slack.waitFor(
    () => slack.views(user).find((v) => v.open && !known.has(v.id) && v.callbackId === callbackId),
    { timeoutMs: 5_000 },
  );
}

/** /newuser <vendor>, fill in the modal, submit. Returns the ack (errors when validation failed). */
export async function requestAccount(
  slack: FakeSlack,
  vendor: VendorId,
  values: Record<string, ValueInput>,
  user: string = USERS.requester,
) {
  const view = await modalOpenedBy(slack, user, () =>
    slack.slashCommand({ user, command: '/newuser', text: vendor, channel: CHANNELS.general }),
  );
  return slack.submitView({ user, viewId: view.id, values: form({ justification: WHY, ...values }) });
}

/** `/newuser <vendor> bulk`: the bulk modal, once open. */
export async function openBulkModal(slack: FakeSlack, vendor: VendorId, user: string = USERS.requester) {
  const known = new Set(slack.views(user).map((v) => v.id));
  await slack.slashCommand({ user, command: '/newuser', text: `${vendor} bulk` });
  return slack.waitFor(() =>
    slack.views(user).find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
  );
}

const hasAction = (m: StoredMessage, actionId: string) =>
  m.blocks.some((b) => (b.elements ?? []).some((e) => e.action_id === actionId));

/** The newest approval card in the vendor's channel. */
export function waitForCard(
  slack: FakeSlack,
  vendor: VendorId,
  predicate: (m: StoredMessage) => boolean = () => true,
) {
  return slack.waitFor(
    () =>
      slack
        .messages(channelOf(vendor))
        .filter((m) => !m.threadTs && predicate(m))
        .at(-1),
    { timeoutMs: 10_000 },
  );
}

/** Wait until the card shows this text (it is re-rendered in place). */
export function waitForCardText(slack: FakeSlack, vendor: VendorId, card: StoredMessage, pattern: RegExp) {
  return slack.waitFor(
    () => {
      const m = slack.message(channelOf(vendor), card.ts);
      return m && pattern.test(plainText(m)) ? m : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

export function waitForReply(slack: FakeSlack, card: StoredMessage, pattern: RegExp) {
  return slack.waitFor(() => slack.thread(card.channel, card.ts).find((m) => pattern.test(plainText(m))), {
    timeoutMs: 10_000,
  });
}

export function waitForDm(slack: FakeSlack, user: string, pattern: RegExp) {
  return slack.waitFor(() => slack.dms(user).find((m) => pattern.test(plainText(m))), { timeoutMs: 10_000 });
}

export function waitForEphemeral(slack: FakeSlack, user: string, pattern: RegExp) {
  return slack.waitFor(
    () => slack.ephemerals(user).find((m) => pattern.test(m.text + JSON.stringify(m.blocks))),
    {
      timeoutMs: 10_000,
    },
  );
}

/** The requester clicks Edit on the card; returns the modal that opened. */
export const openEdit = (slack: FakeSlack, card: StoredMessage, user: string = USERS.requester) =>
  modalOpenedBy(slack, user, () =>
    slack.clickButton({ user, channel: card.channel, ts: card.ts, actionId: ACTION.edit }),
  );

export const approve = (slack: FakeSlack, card: StoredMessage, user: string) =>
  slack.clickButton({ user, channel: card.channel, ts: card.ts, actionId: ACTION.approve });

export async function deny(slack: FakeSlack, card: StoredMessage, user: string, reason: string) {
  const view = await modalOpenedBy(
    slack,
    user,
    () => slack.clickButton({ user, channel: card.channel, ts: card.ts, actionId: ACTION.deny }),
    CALLBACK.denyReason,
  );
  return slack.submitView({ user, viewId: view.id, values: { deny_reason: { value: reason } } });
}

/**
 * The requester clicks Reveal on the newest initial-password DM about `subject`; the text of the
 * credential modal that opened (the secret itself, or "no longer available").
 */
export async function revealInitialPassword(slack: FakeSlack, subject: RegExp): Promise<string> {
  const dm = await waitForDm(slack, USERS.requester, new RegExp(`initial password.*${subject.source}`, 's'));
  const known = new Set(slack.views(USERS.requester).map((v) => v.id));
  await slack.clickButton({
    user: USERS.requester,
    channel: dm.channel,
    ts: dm.ts,
    actionId: ACTION.revealToken,
  });
  const view = await slack.waitFor(
    () => slack.views(USERS.requester).find((v) => !known.has(v.id) && v.callbackId === CALLBACK.token),
    { timeoutMs: 5000 },
  );
  return JSON.stringify(view.view);
}

export { hasAction, plainText };
