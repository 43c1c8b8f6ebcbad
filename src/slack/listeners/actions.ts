/** Button clicks. Each is: ack → parse → flow → private refusal if nothing changed. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { WebAPIPlatformError } from '@slack/web-api';
import { z } from 'zod';
import { canDecide } from '../../domain/approval-policy.ts';
import { isVendorId } from '../../domain/request.ts';
import { NotAllowedError } from '../../errors.ts';
import { cancelRequest, retryRequest } from '../../flows/admin-actions.ts';
import { decide } from '../../flows/decide.ts';
import { editableValues } from '../../flows/edit-request.ts';
import { formFieldsFor } from '../../flows/justification.ts';
import { claimSecret, confirmSecretShown, releaseSecret } from '../../flows/reveal-secret.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import {
  credentialsFitModal,
  renderCredentialsModal,
  renderRevealRetryText,
} from '../views/credentials-modal.ts';
import { renderDenyReasonModal } from '../views/deny-reason-modal.ts';
import { newUserMetadataSchema, renderNewUserModal, renderVendorPicker } from '../views/newuser-modal.ts';
import { readPayloadPageValue, renderPayloadModal } from '../views/payload-modal.ts';
import { refusalText } from '../views/refusal.ts';
import { renderSecretGoneModal, renderSecretModal } from '../views/token-modal.ts';
import { sendPasswordsFile } from './bulk-files.ts';
import { vendorChoices } from './commands.ts';
import { actorFor, type ListenerDeps } from './context.ts';
import { publishHome } from './home.ts';
import { openView, updateView } from './view-calls.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const decisionValueSchema = z.object({ r: z.string().min(1), h: z.string().min(1) });
const parseDecisionValue = (value: string | undefined) =>
  decisionValueSchema.parse(JSON.parse(value ?? '{}'));

/** A private line to the clicker, wherever they clicked. */
type Say = (text: string) => Promise<unknown>;

const onHome = (body: ButtonArgs['body']) => body.view?.type === 'home';

/**
 * A click on a message answers through its response_url; a click on the App Home, which has none,
 * republishes the Home with the answer on top (and its lists as they are now).
 */
function privately(deps: ListenerDeps, { body, respond, client }: ButtonArgs): Say {
  if (onHome(body)) return (text) => publishHome(deps, client, body.user.id, body.team?.id, text);
  return (text) => respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** After a decision or retry clicked on the App Home, its lists changed: show them again. */
async function refreshHome(deps: ListenerDeps, { body, client }: ButtonArgs): Promise<void> {
  if (onHome(body)) await publishHome(deps, client, body.user.id, body.team?.id);
}

async function refuse(say: Say, e: unknown): Promise<void> {
  const text = refusalText(e);
  if (text === null) throw e;
  await say(text);
}

async function actorOf(deps: ListenerDeps, body: ButtonArgs['body'], requestId: string) {
  const req = await deps.store.getRequest(requestId);
  return { req, actor: await actorFor(deps, body.user, body.team?.id, req.vendor) };
}

export function onPickVendorClick(deps: ListenerDeps) {
  return async ({ ack, action, body, client }: ButtonArgs) => {
    await ack();
    const vendor = action.value;
    const choice = vendorChoices(deps).find((c) => c.id === vendor);
    if (!body.view || !choice || !isVendorId(vendor)) return;
    const meta = newUserMetadataSchema.safeParse(JSON.parse(body.view.private_metadata || '{}'));
    const channel = meta.success ? meta.data.channel : undefined;
    await updateView(
      client,
      { viewId: body.view.id, hash: body.view.hash },
      renderNewUserModal(choice, formFieldsFor(vendorEntry(deps, vendor)), {
        vendor,
        ...(channel ? { channel } : {}),
      }),
    );
  };
}

export function onApproveClick(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body } = args;
    await ack();
    const { r, h } = parseDecisionValue(action.value);
    try {
      const { req, actor } = await actorOf(deps, body, r);
      await decide(deps, { requestId: r, actor, decision: 'approve', reason: null, payloadHash: h }, req);
      await refreshHome(deps, args);
    } catch (e) {
      await refuse(privately(deps, args), e);
    }
  };
}

/** Deny asks for a reason first; a non-approver is refused before any modal opens. */
export function onDenyClick(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body, client } = args;
    await ack();
    const { r, h } = parseDecisionValue(action.value);
    try {
      const { req, actor } = await actorOf(deps, body, r);
      const entry = vendorEntry(deps, req.vendor);
      const verdict = canDecide(actor, req, entry.policy, 'deny');
      if (!verdict.allowed) throw new NotAllowedError(verdict.reason, verdict.who);
      await openView(
        client,
        body.trigger_id,
        renderDenyReasonModal(r, h, entry.provisioner.describe(req.payload).subject),
      );
    } catch (e) {
      await refuse(privately(deps, args), e);
    }
  };
}

export function onCancelClick(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body } = args;
    await ack();
    try {
      const { actor } = await actorOf(deps, body, action.value ?? '');
      await cancelRequest(deps, action.value ?? '', actor);
    } catch (e) {
      await refuse(privately(deps, args), e);
    }
  };
}

/** The requester's Edit: the same form, filled in as stored; saving goes through onNewUserSubmit. */
export function onEditClick(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body, client } = args;
    await ack();
    try {
      const { req, actor } = await actorOf(deps, body, action.value ?? '');
      const { values } = await editableValues(deps, req.id, actor);
      const entry = vendorEntry(deps, req.vendor);
      const choice = { id: req.vendor, displayName: entry.provisioner.displayName };
      await openView(
        client,
        body.trigger_id,
        renderNewUserModal(choice, formFieldsFor(entry), { vendor: req.vendor, edit: req.id }, values),
      );
    } catch (e) {
      await refuse(privately(deps, args), e);
    }
  };
}

export function onRetryClick(deps: ListenerDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body } = args;
    await ack();
    try {
      const { actor } = await actorOf(deps, body, action.value ?? '');
      await retryRequest(deps, action.value ?? '', actor);
      await refreshHome(deps, args);
    } catch (e) {
      await refuse(privately(deps, args), e);
    }
  };
}

/**
 * Two-phase reveal: the secret is claimed, shown in a modal (never in message history), and deleted
 * only once views.open succeeded; if it failed (say the trigger expired), it waits for another click.
 */
export function onRevealClick(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs) => {
    await ack();
    const { actor } = await actorOf(deps, body, action.value ?? '');
    const secret = await claimSecret(deps, action.value ?? '', actor);
    if (!secret) {
      await openView(client, body.trigger_id, renderSecretGoneModal());
      return;
    }
    const multiLine = secret.value.includes('\n');
    const view = multiLine
      ? renderCredentialsModal(secret.label, secret.subject, secret.value)
      : renderSecretModal(secret.label, secret.subject, secret.value);
    try {
      // Thousands of users' passwords do not fit a modal: a file in the requester's own DM instead.
      if (multiLine && !credentialsFitModal(secret.value)) await sendPasswordsFile(deps, secret);
      else await openView(client, body.trigger_id, view);
    } catch (e) {
      await releaseSecret(
        deps,
        secret,
        e instanceof WebAPIPlatformError ? e.data.error : multiLine ? 'upload failed' : 'views.open failed',
      );
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: renderRevealRetryText(secret.label),
      });
      return;
    }
    await confirmSecretShown(deps, secret);
  };
}

/** "View all N users" on a batch card, and its page buttons: the whole stored payload, read-only. */
export function onViewPayloadClick(deps: ListenerDeps) {
  return async ({ ack, action, body, client }: ButtonArgs) => {
    await ack();
    const { r, p } = readPayloadPageValue(action.value);
    const req = await deps.store.getRequest(r);
    const { provisioner } = vendorEntry(deps, req.vendor);
    const view = renderPayloadModal({
      requestId: req.id,
      vendorName: provisioner.displayName,
      description: provisioner.describe(req.payload),
      payloadHash: req.payloadHash,
      page: p,
    });
    if (body.view?.type === 'modal') await updateView(client, { viewId: body.view.id }, view);
    else await openView(client, body.trigger_id, view);
  };
}

export function onHomeNewRequestClick(deps: ListenerDeps) {
  return async ({ ack, body, client }: ButtonArgs) => {
    await ack();
    await openView(client, body.trigger_id, renderVendorPicker(vendorChoices(deps), body.user.id));
  };
}
