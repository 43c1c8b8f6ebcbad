/** views.* : modals with Slack's trigger rules and three-deep stack, and per-user home tabs. */
import { z } from 'zod';
import { type SlackViewInput, ViewSchema } from './block-kit-schemas.ts';
import type { FakeSlackState, StoredView, TranscriptKind } from './fake-slack-state.ts';
import { plainText } from './plain-text.ts';
import { checkView } from './slack-limits.ts';
import {
  fail,
  type MethodContext,
  type MethodHandler,
  type MethodResult,
  parseArgs,
  reject,
} from './web-api-common.ts';

/** Slack: at most three modals stacked (views.push → push_limit_reached). */
const MAX_STACK = 3;

const OpenArgs = z.looseObject({ trigger_id: z.string(), view: ViewSchema });
const UpdateArgs = z.looseObject({
  view: ViewSchema,
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
});
const PublishArgs = z.looseObject({ user_id: z.string(), view: ViewSchema, hash: z.string().optional() });

const newHash = (state: FakeSlackState): string =>
  `${Math.floor(state.now().getTime() / 1000)}.${Math.random().toString(36).slice(2, 10)}`;

/** The view object as Slack returns it from views.* and sends it in view_submission/view_closed. */
export function viewJson(
  state: FakeSlackState,
  v: StoredView,
  values: Record<string, Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    ...v.view,
    id: v.id,
    team_id: state.identity.teamId,
    type: v.type,
    blocks: v.blocks,
    private_metadata: v.privateMetadata,
    callback_id: v.callbackId,
    external_id: v.externalId,
    state: { values },
    hash: v.hash,
    root_view_id: v.rootViewId,
    previous_view_id: v.previousViewId,
    app_id: state.identity.appId,
    app_installed_team_id: state.identity.teamId,
    bot_id: state.identity.botId,
  };
}

function storeView(
  state: FakeSlackState,
  user: string,
  view: SlackViewInput,
  link: { id?: string; rootViewId?: string; previousViewId?: string | null },
  kind: TranscriptKind,
): StoredView {
  const id = link.id ?? `V${String(state.nextSeq()).padStart(8, '0')}`;
  const stored: StoredView = {
    id,
    user,
    type: view.type,
    callbackId: view.callback_id ?? '',
    privateMetadata: view.private_metadata ?? '',
    blocks: view.blocks,
    hash: newHash(state),
    rootViewId: link.rootViewId ?? id,
    previousViewId: link.previousViewId ?? null,
    externalId: view.external_id ?? '',
    view,
    open: true,
  };
  state.views.set(id, stored);
  const title = view.title ? `[${view.title.text}]\n` : '';
  state.record({ kind, user, viewId: id, text: `${title}${plainText(view)}` });
  return stored;
}

/** Opens (replacing any open stack), pushes, or updates a modal; shared with ack-driven actions. */
export function applyModal(
  state: FakeSlackState,
  user: string,
  view: SlackViewInput,
  action: 'open' | 'push' | { update: StoredView },
): StoredView {
  if (action === 'open') {
    state.closeModalStack(user);
    const stored = storeView(state, user, view, {}, 'view_open');
    state.modalStacks.set(user, [stored.id]);
    return stored;
  }
  if (action === 'push') {
    const stack = state.modalStacks.get(user) ?? [];
    const below = state.topModal(user);
    const stored = storeView(
      state,
      user,
      view,
      { rootViewId: below?.rootViewId, previousViewId: below?.id ?? null },
      'view_push',
    );
    state.modalStacks.set(user, [...stack, stored.id]);
    return stored;
  }
  const old = action.update;
  return storeView(
    state,
    user,
    view,
    { id: old.id, rootViewId: old.rootViewId, previousViewId: old.previousViewId },
    old.type === 'home' ? 'home' : 'view_update',
  );
}

function checked(ctx: MethodContext, view: SlackViewInput, type: 'modal' | 'home'): MethodResult | undefined {
  if (view.type !== type)
    return reject(ctx, [{ error: 'invalid_arguments', rule: `view type ${type}`, path: 'view.type' }]);
  return reject(ctx, checkView(view));
}

function openOrPush(action: 'open' | 'push'): MethodHandler {
  return (ctx, raw) => {
    const args = parseArgs(ctx, OpenArgs, raw);
    if (!args.ok) return args.result;
    const refused = checked(ctx, args.value.view, 'modal');
    if (refused) return refused;
    const trigger = ctx.state.triggers.get(args.value.trigger_id);
    const error = ctx.state.useTrigger(args.value.trigger_id);
    if (error || trigger === undefined) return fail(error ?? 'invalid_trigger_id');
    if (action === 'push' && (ctx.state.modalStacks.get(trigger.user) ?? []).length >= MAX_STACK) {
      return fail('push_limit_reached');
    }
    const stored = applyModal(ctx.state, trigger.user, args.value.view, action);
    return { ok: true, view: viewJson(ctx.state, stored) };
  };
}

const update: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, UpdateArgs, raw);
  if (!args.ok) return args.result;
  const { view_id, external_id, hash, view } = args.value;
  const old = view_id
    ? ctx.state.views.get(view_id)
    : [...ctx.state.views.values()].find((v) => external_id !== undefined && v.externalId === external_id);
  if (old === undefined) return fail('not_found');
  const refused = checked(ctx, view, old.type);
  if (refused) return refused;
  if (hash !== undefined && hash !== old.hash) return fail('hash_conflict');
  const stored = applyModal(ctx.state, old.user, view, { update: old });
  if (stored.type === 'home') ctx.state.homeTabs.set(stored.user, stored.id);
  return { ok: true, view: viewJson(ctx.state, stored) };
};

const publish: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, PublishArgs, raw);
  if (!args.ok) return args.result;
  const { user_id, view, hash } = args.value;
  if (!ctx.state.users.has(user_id)) return fail('user_not_found');
  const refused = checked(ctx, view, 'home');
  if (refused) return refused;
  const oldId = ctx.state.homeTabs.get(user_id);
  const old = oldId === undefined ? undefined : ctx.state.views.get(oldId);
  if (old && hash !== undefined && hash !== old.hash) return fail('hash_conflict');
  const stored = old
    ? applyModal(ctx.state, user_id, view, { update: old })
    : storeView(ctx.state, user_id, view, {}, 'home');
  ctx.state.homeTabs.set(user_id, stored.id);
  return { ok: true, view: viewJson(ctx.state, stored) };
};

export const VIEW_METHODS: Record<string, MethodHandler> = {
  'views.open': openOrPush('open'),
  'views.push': openOrPush('push'),
  'views.update': update,
  'views.publish': publish,
};
