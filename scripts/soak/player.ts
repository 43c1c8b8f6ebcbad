/**
 * One request played as people would in Slack, with retries where a person would retry: a modal
 * that never opened, a submission or click that changed nothing (the replica that took it died).
 * Random approvers, double clicks, two approvers at once, outsiders, denials and cancels.
 */
import { FINAL_STATUSES, type RequestStatus, type VendorId } from '../../src/domain/request.ts';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';
import { STATUS_EMOJI } from '../../src/slack/views/status-label.ts';
import type { Store } from '../../src/store/store.ts';
import { certForm, pam360Form, pjmForm } from '../../test/chaos/chaos-kit.ts';
import { type FakeSlack, plainText, type StoredMessage } from '../../test/fakes/fake-slack/index.ts';
import { form } from '../../test/integration/scenario.ts';
import { APPROVERS, OUTSIDER, REQUESTERS, SOAK_CHANNELS } from './world.ts';

export const VENDORS: readonly VendorId[] = ['pjm', 'pam360', 'cert'];
export type Plan = 'approve' | 'double-click' | 'two-approvers' | 'outsider-then-approve' | 'deny' | 'cancel';
const PLANS: readonly [Plan, number][] = [
  ['approve', 55],
  ['double-click', 10],
  ['two-approvers', 8],
  ['outsider-then-approve', 5],
  ['deny', 12],
  ['cancel', 10],
];

/** How long a person waits for something to show before trying again. */
const PATIENCE_MS = 8_000;
const TRIES = 5;
/** A card is posted by a worker job, which may sit under a dead replica's lease first. */
const CARD_WAIT_MS = 40_000;
const POLL_MS = 500;

export interface Played {
  index: number;
  vendor: VendorId;
  subject: string;
  requester: string;
  plan: Plan;
  /** PJM refuses an e-mail domain the account does not allow: the request should fail at the vendor. */
  refusedEmail: boolean;
  /** False when the run's deadline came before this request's turn. */
  started: boolean;
  /** The run's deadline stopped this person before they decided (the request may stay PENDING). */
  cutShort: boolean;
  requestId: string | null;
  card: { channel: string; ts: string } | null;
  finalStatus: RequestStatus | null;
  /** Approve click → outcome reply visible in the thread. */
  approveToOutcomeMs: number | null;
  /** Submissions or clicks that changed nothing and were tried again. */
  retried: { submissions: number; commands: number; clicks: number };
  problems: string[];
}

export interface PlayContext {
  slack: FakeSlack;
  store: Store;
  random: () => number;
  /** The run's end: nothing waits past it. */
  deadline: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function pickPlan(random: () => number): Plan {
  let roll = random() * PLANS.reduce((n, [, w]) => n + w, 0);
  for (const [plan, weight] of PLANS) {
    roll -= weight;
    if (roll < 0) return plan;
  }
  return 'approve';
}

export function planRequest(index: number, random: () => number): Played {
  const vendor = VENDORS[index % VENDORS.length]!;
  return {
    index,
    vendor,
    subject: `soak${String(index).padStart(5, '0')}`,
    requester: pick(random, REQUESTERS),
    plan: pickPlan(random),
    refusedEmail: vendor === 'pjm' && random() < 0.1,
    started: false,
    cutShort: false,
    requestId: null,
    card: null,
    finalStatus: null,
    approveToOutcomeMs: null,
    retried: { submissions: 0, commands: 0, clicks: 0 },
    problems: [],
  };
}

function formValues(p: Played) {
  if (p.vendor === 'pjm') {
    return { ...pjmForm(p.subject), ...(p.refusedEmail ? { email: `${p.subject}@gmail.com` } : {}) };
  }
  if (p.vendor === 'pam360') return pam360Form(p.subject);
  return certForm(p.subject);
}

async function until<T>(
  ctx: PlayContext,
  ms: number,
  probe: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const end = Math.min(Date.now() + ms, ctx.deadline);
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) return undefined;
    await sleep(POLL_MS);
  }
}

const waitSlack = <T>(ctx: PlayContext, ms: number, probe: () => T | undefined) =>
  ctx.slack
    .waitFor(probe, { timeoutMs: Math.max(1, Math.min(ms, ctx.deadline - Date.now())) })
    .catch(() => undefined);

async function findRequest(ctx: PlayContext, p: Played) {
  const mine = await ctx.store.listRequests({ requesterId: p.requester, vendor: p.vendor, limit: 1000 });
  return mine.find((r) => JSON.stringify(r.payload).includes(p.subject));
}

/** /newuser → modal → submit, until the request is in the store. */
async function submit(ctx: PlayContext, p: Played): Promise<boolean> {
  for (let attempt = 0; attempt < TRIES && Date.now() < ctx.deadline; attempt += 1) {
    const existing = await findRequest(ctx, p);
    if (existing) {
      p.requestId = existing.id;
      return true;
    }
    const known = new Set(ctx.slack.views(p.requester).map((v) => v.id));
    const opened = await ctx.slack
      .slashCommand({
        user: p.requester,
        command: '/newuser',
        text: p.vendor,
        channel: SOAK_CHANNELS.general,
      })
      .then(() =>
        waitSlack(ctx, PATIENCE_MS, () =>
          ctx.slack
            .views(p.requester)
            .find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
        ),
      )
      .catch(() => undefined);
    if (!opened) {
      p.retried.commands += 1;
      await sleep(POLL_MS);
      continue;
    }
    const result = await ctx.slack
      .submitView({
        user: p.requester,
        viewId: opened.id,
        values: form({ justification: 'Soak test request', ...formValues(p) }),
      })
      .catch(() => undefined);
    if (result?.ack?.response_action === 'errors') {
      p.problems.push(`form refused: ${JSON.stringify(result.ack).slice(0, 200)}`);
      return false;
    }
    // The card shows first where a person looks; the store is asked only when it does not come.
    await waitSlack(ctx, PATIENCE_MS, () => currentCard(ctx, p));
    const created = await findRequest(ctx, p);
    if (created) {
      p.requestId = created.id;
      return true;
    }
    p.retried.submissions += 1;
  }
  if (Date.now() >= ctx.deadline) p.cutShort = true;
  else p.problems.push('the request was never stored, though submitted again and again');
  return false;
}

function currentCard(ctx: PlayContext, p: Played): StoredMessage | undefined {
  return ctx.slack.messages(SOAK_CHANNELS[p.vendor]).find((m) => plainText(m).includes(p.subject));
}

async function status(ctx: PlayContext, p: Played): Promise<RequestStatus> {
  return (await ctx.store.getRequest(p.requestId ?? '')).status;
}

/** Clicks (possibly several users at once) until the request leaves PENDING. */
async function clickUntilDecided(ctx: PlayContext, p: Played, users: string[], actionId: string) {
  for (let attempt = 0; attempt < TRIES && Date.now() < ctx.deadline; attempt += 1) {
    if ((await status(ctx, p)) !== 'PENDING') return;
    const card = currentCard(ctx, p);
    if (card) {
      await Promise.all(
        users.map((user) =>
          ctx.slack
            .clickButton({ user, channel: card.channel, ts: card.ts, actionId })
            .catch(() => undefined),
        ),
      );
    }
    if (await until(ctx, PATIENCE_MS, async () => ((await status(ctx, p)) !== 'PENDING' ? true : undefined)))
      return;
    p.retried.clicks += 1;
  }
}

async function denyWithReason(ctx: PlayContext, p: Played, approver: string) {
  for (let attempt = 0; attempt < TRIES && Date.now() < ctx.deadline; attempt += 1) {
    if ((await status(ctx, p)) !== 'PENDING') return;
    const card = currentCard(ctx, p);
    const known = new Set(ctx.slack.views(approver).map((v) => v.id));
    if (card) {
      await ctx.slack
        .clickButton({ user: approver, channel: card.channel, ts: card.ts, actionId: ACTION.deny })
        .catch(() => undefined);
    }
    const modal = await waitSlack(ctx, PATIENCE_MS, () =>
      ctx.slack
        .views(approver)
        .find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.denyReason),
    );
    if (modal) {
      await ctx.slack
        .submitView({
          user: approver,
          viewId: modal.id,
          values: { deny_reason: { value: `No (${p.subject})` } },
        })
        .catch(() => undefined);
      if (
        await until(ctx, PATIENCE_MS, async () => ((await status(ctx, p)) !== 'PENDING' ? true : undefined))
      )
        return;
    }
    p.retried.clicks += 1;
  }
}

/** The reply in the thread that tells the outcome (or the denial / cancellation). */
export function isOutcomeReply(status: RequestStatus, text: string): boolean {
  if (status === 'DENIED') return /denied this request/.test(text);
  if (status === 'CANCELLED') return /cancelled this request/.test(text);
  return text.startsWith(`${STATUS_EMOJI[status]} `) && text.includes(' — ');
}

const SETTLED: readonly RequestStatus[] = [...FINAL_STATUSES, 'NEEDS_ATTENTION'];

export async function play(ctx: PlayContext, p: Played): Promise<void> {
  if (Date.now() >= ctx.deadline) return;
  p.started = true;
  if (!(await submit(ctx, p))) return;
  const card = await waitSlack(ctx, CARD_WAIT_MS, () => currentCard(ctx, p));
  if (!card) {
    if (Date.now() >= ctx.deadline) p.cutShort = true;
    else p.problems.push('no approval card was posted');
    return;
  }
  p.card = { channel: card.channel, ts: card.ts };
  const approver = pick(ctx.random, APPROVERS);
  const other = pick(
    ctx.random,
    APPROVERS.filter((a) => a !== approver),
  );
  let started = Date.now();
  if (p.plan === 'deny') await denyWithReason(ctx, p, approver);
  else if (p.plan === 'cancel') await clickUntilDecided(ctx, p, [p.requester], ACTION.cancel);
  else {
    if (p.plan === 'outsider-then-approve') {
      await clickUntilRefused(ctx, p, card);
      started = Date.now();
    }
    const users =
      p.plan === 'double-click'
        ? [approver, approver]
        : p.plan === 'two-approvers'
          ? [approver, other]
          : [approver];
    await clickUntilDecided(ctx, p, users, ACTION.approve);
  }
  if (Date.now() >= ctx.deadline) p.cutShort = true;
  const settled = await until(ctx, ctx.deadline - Date.now(), async () => {
    const s = await status(ctx, p);
    return SETTLED.includes(s) ? s : undefined;
  });
  if (!settled) return;
  p.finalStatus = settled;
  if (p.plan === 'deny' || p.plan === 'cancel') return;
  const reply = await waitSlack(ctx, ctx.deadline - Date.now(), () => {
    const where = currentCard(ctx, p) ?? card;
    return ctx.slack.thread(where.channel, where.ts).find((m) => isOutcomeReply(settled, m.text));
  });
  if (reply) p.approveToOutcomeMs = Date.now() - started;
}

/** An outsider clicks Approve first: refused privately, nothing changes. */
async function clickUntilRefused(ctx: PlayContext, p: Played, card: StoredMessage) {
  const before = ctx.slack.ephemerals(OUTSIDER).length;
  await ctx.slack
    .clickButton({ user: OUTSIDER, channel: card.channel, ts: card.ts, actionId: ACTION.approve })
    .catch(() => undefined);
  await waitSlack(ctx, PATIENCE_MS, () => ctx.slack.ephemerals(OUTSIDER).length > before || undefined);
  if ((await status(ctx, p)) !== 'PENDING') p.problems.push('an outsider’s click changed the request');
}
