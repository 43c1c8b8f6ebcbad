/**
 * The Bolt app: Socket Mode by default, HTTP mode (signature verified by Bolt) when configured; the
 * Web API base URL from configuration. Global middleware refuses other workspaces, acks slash
 * commands and clicks at once (their ack carries nothing), and drops duplicate deliveries (by their
 * ids, remembered in the store, so it holds across replicas) — a command or click after its ack.
 * An acked delivery's work then waits its turn (ack-turns.ts), so later envelopes are acked first.
 */
import {
  type AnyMiddlewareArgs,
  App,
  type Logger as BoltLogger,
  HTTPReceiver,
  LogLevel,
  type Middleware,
  SocketModeReceiver,
} from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../config/schema.ts';
import { coerceError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import { AckTurns } from './ack-turns.ts';
import { DeliveryDedup } from './delivery-dedup.ts';
import type { ListenerDeps } from './listeners/context.ts';
import { tellFailure } from './listeners/failure-notice.ts';
import { registerListeners } from './listeners/index.ts';
import { markAcked, tolerantAck } from './listeners/tolerate-lost-ack.ts';

const DELIVERY_TTL_MS = 60 * 60_000;

/** Bolt's logger interface on top of pino (Bolt's own debug output would include payloads). */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  return {
    debug: () => {},
    info: (...m: unknown[]) => child.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => child.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) =>
      child.error(m.map((x) => (x instanceof Error ? x.message : String(x))).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** A delivery's stable id: events have event_id; interactions and commands a single-use trigger_id. */
function deliveryId(body: Record<string, unknown>): string | null {
  for (const key of ['event_id', 'trigger_id'] as const) {
    const v = body[key];
    if (typeof v === 'string' && v) return `${key}:${v}`;
  }
  return null;
}

function teamOf(body: Record<string, unknown>): string | undefined {
  const team = body.team;
  if (typeof body.team_id === 'string') return body.team_id;
  if (team && typeof team === 'object' && 'id' in team && typeof team.id === 'string') return team.id;
  return undefined;
}

function enterpriseOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.enterprise_id === 'string') return body.enterprise_id;
  const e = body.enterprise;
  if (e && typeof e === 'object' && 'id' in e && typeof e.id === 'string') return e.id;
  return undefined;
}

/** Why a delivery is not for this installation, or null when it is. */
export function foreign(
  body: Record<string, unknown>,
  slack: Pick<Config['slack'], 'teamId' | 'enterpriseId'>,
) {
  // A delivery without a team id cannot be shown to be ours, so with SLACK_TEAM_ID set it is refused.
  if (slack.teamId && teamOf(body) !== slack.teamId) return { team: teamOf(body) ?? null };
  if (slack.enterpriseId && enterpriseOf(body) !== slack.enterpriseId)
    return { enterprise: enterpriseOf(body) ?? null };
  return null;
}

/**
 * Slash commands and button clicks ack with nothing, so nothing needs to run before their ack; a
 * view submission's ack carries its outcome (field errors keep the modal open), so it waits.
 */
const acksFirst = (body: Record<string, unknown>): boolean =>
  typeof body.command === 'string' || body.type === 'block_actions';

function guard(
  deps: ListenerDeps,
  slack: Pick<Config['slack'], 'teamId' | 'enterpriseId'>,
  dedup: DeliveryDedup,
  turns: AckTurns,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as () => Promise<void>) : null;
    const refused = foreign(body, slack);
    if (refused) {
      deps.log.warn(refused, 'delivery from another workspace refused');
      await ack?.();
      return;
    }
    const early = ack !== null && acksFirst(body);
    if (early) {
      await tolerantAck(ack, deps.log)();
      markAcked(args.context);
    }
    const id = deliveryId(body);
    if (id) {
      let first: boolean;
      try {
        first = await dedup.isFirst(id);
      } catch (e) {
        // Unacked, Slack retries; acked, the user must hear it did not go through.
        if (!early) throw e;
        deps.log.error(
          { err: coerceError(e), deliveryId: id },
          'could not check a Slack delivery for duplicates',
        );
        await tellFailure(deps, { body, respond: 'respond' in args ? args.respond : undefined });
        return;
      }
      if (!first) {
        deps.log.info({ deliveryId: id }, 'duplicate Slack delivery ignored');
        if (!early) await ack?.();
        return;
      }
    }
    if (early) await turns.next();
    await args.next();
  };
}

/** Bolt's own check: "no more than 5 minutes" from now; it refuses only the past. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Bolt refuses a signed request dated more than five minutes in the past; this refuses one dated
 * as far in the future (a replay prepared in advance) with the same 401. Wall-clock time, as Bolt's.
 */
function refuseFutureDated(receiver: HTTPReceiver, log: Logger): void {
  const inner = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts * 1000 > Date.now() + MAX_CLOCK_SKEW_MS) {
      log.warn({ requestTimestamp: ts }, 'signed request dated in the future refused');
      res.writeHead(401).end();
      return;
    }
    inner(req, res);
  };
}

export interface SlackApp {
  app: App;
  /** Socket Mode: whether the WebSocket is connected now; null in HTTP mode (Slack connects to us). */
  connected(): boolean | null;
}

/**
 * `clientOptions` are shared with the gateway's WebClient (API URL, retries, the metrics fetch);
 * Socket Mode gets them too, so apps.connections.open goes to the same Slack.
 */
export function createSlackApp(
  slack: Config['slack'],
  clientOptions: WebClientOptions,
  deps: ListenerDeps,
  log: Logger,
): SlackApp {
  const logger = boltLogger(log);
  // auth.test runs in initSlackApp, where a refused token becomes an error naming the setting.
  const common = { token: slack.botToken, clientOptions, logger, deferInitialization: true };
  let state: { app: App; connected: () => boolean | null };
  if (slack.mode === 'socket') {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken ?? '',
      logger,
      installerOptions: { clientOptions },
    });
    let connected = false;
    receiver.client.on('connected', () => {
      connected = true;
    });
    for (const s of ['disconnected', 'reconnecting', 'disconnecting'])
      receiver.client.on(s, () => {
        connected = false;
      });
    state = { app: new App({ ...common, receiver }), connected: () => connected };
  } else {
    const receiver = new HTTPReceiver({ signingSecret: slack.signingSecret ?? '', port: slack.port, logger });
    refuseFutureDated(receiver, log);
    state = { app: new App({ ...common, receiver }), connected: () => null };
  }
  const { app } = state;
  if (!slack.teamId && !slack.enterpriseId) {
    log.warn(
      'SLACK_TEAM_ID and SLACK_ENTERPRISE_ID are both unset: deliveries from any workspace that installs this app are served',
    );
  }
  // The worker steps aside while deliveries arrive and are handled (worker/inbound-traffic.ts).
  app.use(async ({ next }) => {
    const handled = deps.inbound?.arrived();
    try {
      await next();
    } finally {
      handled?.();
    }
  });
  app.use(guard(deps, slack, new DeliveryDedup(deps.store, deps.clock, DELIVERY_TTL_MS), new AckTurns()));
  registerListeners(app, deps);
  app.error(async (e) => {
    log.error({ err: coerceError(e) }, 'Slack listener failed');
  });
  return state;
}
