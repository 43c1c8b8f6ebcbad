/** Acting as a workspace user: slash commands, clicks, modal submit/close, opening the App Home. */
import { randomUUID } from 'node:crypto';
import {
  type AckPayload,
  AckPayloadSchema,
  type SlackBlock,
  type SlackElement,
} from './block-kit-schemas.ts';
import {
  appHomeOpenedPayload,
  messageActionPayload,
  slashCommandPayload,
  viewActionPayload,
  viewClosedPayload,
  viewSubmissionPayload,
} from './driver-payloads.ts';
import { FakeSlackQueries } from './fake-slack-queries.ts';
import type { FakeSlackState, StoredView } from './fake-slack-state.ts';
import { type HttpModeOptions, type SignatureMode, sendHttpDelivery } from './http-mode-sender.ts';
import { checkView } from './slack-limits.ts';
import type { DeliveryResult, EnvelopeType, SocketModeHub, Timing } from './socket-mode-hub.ts';
import { buildStateValues, type ViewValues } from './view-values.ts';
import { applyModal } from './web-api-views.ts';

/** Per-delivery HTTP-mode signing; ignored in Socket Mode. */
export interface DeliveryOptions {
  signature?: SignatureMode;
}

export interface CommandResult extends DeliveryResult {
  triggerId: string;
  responseUrl: string;
}

export interface SubmitResult extends DeliveryResult {
  /** The ack payload as Slack reads it (response_action, errors, view). */
  ack: AckPayload | undefined;
}

export type ClickTarget = { channel: string; ts: string } | { viewId: string };

export interface DriverConfig {
  hub: SocketModeHub;
  baseUrl: string;
  defaultChannel: string;
  timing: Timing;
}

function findElement(
  blocks: readonly SlackBlock[],
  actionId: string,
  blockId: string | undefined,
): { element: SlackElement; blockId: string } | undefined {
  for (const b of blocks) {
    if (blockId !== undefined && b.block_id !== blockId) continue;
    const els = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])];
    const element = els.find((e) => e.action_id === actionId);
    if (element) return { element, blockId: b.block_id ?? '' };
  }
  return undefined;
}

export class FakeSlackDriver extends FakeSlackQueries {
  readonly #config: DriverConfig;
  #httpMode: HttpModeOptions | undefined;

  constructor(state: FakeSlackState, config: DriverConfig) {
    super(state);
    this.#config = config;
  }

  /** From now on deliveries are signed POSTs to the bot's Request URL instead of Socket Mode. */
  useHttpMode(options: HttpModeOptions): void {
    this.#httpMode = options;
  }

  useSocketMode(): void {
    this.#httpMode = undefined;
  }

  /** Sends any payload the way the current mode does; the helpers below build the usual ones. */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliveryOptions = {},
  ): Promise<DeliveryResult> {
    if (this.#httpMode === undefined) return this.#config.hub.deliver(type, payload);
    return sendHttpDelivery(
      this.#httpMode,
      type,
      payload,
      options.signature ?? 'valid',
      this.#config.timing.ackTimeoutMs,
    );
  }

  #responseUrl(user: string, channel: string, messageTs: string | undefined): string {
    const id = randomUUID();
    this.state.responseUrls.set(id, { user, channel, messageTs, issuedAt: this.state.now(), uses: 0 });
    return `${this.#config.baseUrl}/response/${id}`;
  }

  async slashCommand(
    c: { user: string; command: string; text?: string; channel?: string } & DeliveryOptions,
  ): Promise<CommandResult> {
    const channel = c.channel ?? this.#config.defaultChannel;
    this.state.resolveChannel(channel);
    const triggerId = this.state.issueTrigger(c.user);
    const responseUrl = this.#responseUrl(c.user, channel, undefined);
    const payload = slashCommandPayload(this.state, {
      ...c,
      text: c.text ?? '',
      channel,
      triggerId,
      responseUrl,
    });
    return { ...(await this.deliver('slash_commands', payload, c)), triggerId, responseUrl };
  }

  /** Clicks a button (or other action element) on a message or in a view; it must be there. */
  async clickButton(
    c: { user: string; actionId: string; value?: string; blockId?: string } & ClickTarget & DeliveryOptions,
  ): Promise<CommandResult> {
    const triggerId = this.state.issueTrigger(c.user);
    if ('viewId' in c) {
      const view = this.#view(c.user, c.viewId);
      const found = this.#element(view.blocks, c.actionId, c.blockId, `view ${view.id}`);
      const payload = viewActionPayload(this.state, {
        ...c,
        ...found,
        value: c.value ?? found.element.value,
        triggerId,
        view,
      });
      return { ...(await this.deliver('interactive', payload, c)), triggerId, responseUrl: '' };
    }
    const message = this.state.findMessage(c.channel, c.ts);
    if (message === undefined) throw new Error(`fake Slack: no message ${c.channel}/${c.ts} to click on`);
    const found = this.#element(message.blocks, c.actionId, c.blockId, `message ${c.channel}/${c.ts}`);
    const responseUrl = this.#responseUrl(c.user, c.channel, c.ts);
    const payload = messageActionPayload(this.state, {
      ...c,
      ...found,
      value: c.value ?? found.element.value,
      triggerId,
      message,
      responseUrl,
    });
    return { ...(await this.deliver('interactive', payload, c)), triggerId, responseUrl };
  }

  /**
   * Submits a modal (the user's topmost by default) and applies the ack as Slack does: errors keep
   * it open, update/push/clear change the stack, anything else closes it.
   */
  async submitView(
    c: { user: string; viewId?: string; values?: ViewValues } & DeliveryOptions,
  ): Promise<SubmitResult> {
    const view = this.#view(c.user, c.viewId);
    const values = buildStateValues(view.blocks, c.values ?? {});
    const triggerId = this.state.issueTrigger(c.user);
    const result = await this.deliver(
      'interactive',
      viewSubmissionPayload(this.state, c.user, view, values, triggerId),
      c,
    );
    const parsed = AckPayloadSchema.safeParse(result.payload ?? {});
    const ack = result.acked && parsed.success ? parsed.data : undefined;
    if (ack !== undefined) this.#applyAck(c.user, view, ack);
    return { ...result, ack };
  }

  #applyAck(user: string, view: StoredView, ack: AckPayload): void {
    const action = ack.response_action;
    if (action === 'errors') return;
    if (action === 'clear') this.state.closeModalStack(user);
    else if ((action === 'update' || action === 'push') && ack.view !== undefined) {
      const issues = checkView(ack.view);
      if (issues.length > 0) this.state.recordViolations(`view_submission.${action}`, issues);
      else applyModal(this.state, user, ack.view, action === 'push' ? 'push' : { update: view });
    } else this.#pop(user, view);
    this.state.changed();
  }

  #pop(user: string, view: StoredView): void {
    view.open = false;
    const stack = (this.state.modalStacks.get(user) ?? []).filter((id) => id !== view.id);
    if (stack.length === 0) this.state.modalStacks.delete(user);
    else this.state.modalStacks.set(user, stack);
  }

  /** The user dismisses a modal; view_closed is delivered only if the view asked (notify_on_close). */
  async closeView(
    c: { user: string; viewId?: string } & DeliveryOptions,
  ): Promise<DeliveryResult | undefined> {
    const view = this.#view(c.user, c.viewId);
    this.#pop(c.user, view);
    this.state.changed();
    if (view.view.notify_on_close !== true) return undefined;
    return this.deliver('interactive', viewClosedPayload(this.state, c.user, view), c);
  }

  /** The user opens the app's Home tab: an app_home_opened event. */
  openHome(user: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
    this.state.ensureUser(user);
    const id = this.state.homeTabs.get(user);
    const view = id === undefined ? undefined : this.state.views.get(id);
    return this.deliver('events_api', appHomeOpenedPayload(this.state, user, view), options);
  }

  #view(user: string, viewId: string | undefined): StoredView {
    const view = viewId === undefined ? this.state.topModal(user) : this.state.views.get(viewId);
    if (view === undefined || !view.open || view.user !== user) {
      throw new Error(`fake Slack: ${user} has no open view ${viewId ?? '(none open)'}`);
    }
    return view;
  }

  #element(
    blocks: readonly SlackBlock[],
    actionId: string,
    blockId: string | undefined,
    where: string,
  ): { element: SlackElement; blockId: string } {
    const found = findElement(blocks, actionId, blockId);
    if (found === undefined)
      throw new Error(`fake Slack: ${where} has no element with action_id ${actionId}`);
    return found;
  }
}
