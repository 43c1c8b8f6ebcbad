/**
 * The Bolt app: Socket Mode by default, HTTP mode (signature verified by Bolt) when configured; the
 * Web API base URL from configuration. Global middleware drops duplicate deliveries (by their ids,
 * remembered in the store, so it holds across replicas) and refuses other workspaces.
 */
import {
  type AnyMiddlewareArgs,
  App,
  type Logger as BoltLogger,
  LogLevel,
  type Middleware,
  SocketModeReceiver,
} from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../config/schema.ts';
import { coerceError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { ListenerDeps } from './listeners/context.ts';
import { registerListeners } from './listeners/index.ts';

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

function guard(deps: ListenerDeps, teamId: string | undefined): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as () => Promise<void>) : null;
    if (teamId && teamOf(body) && teamOf(body) !== teamId) {
      deps.log.warn({ team: teamOf(body) }, 'delivery from another workspace refused');
      await ack?.();
      return;
    }
    const id = deliveryId(body);
    if (id) {
      const now = deps.clock.now();
      const first = await deps.store.markDelivery(id, new Date(now.getTime() + DELIVERY_TTL_MS), now);
      if (!first) {
        deps.log.info({ deliveryId: id }, 'duplicate Slack delivery ignored');
        await ack?.();
        return;
      }
    }
    await args.next();
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
    state = {
      app: new App({ ...common, signingSecret: slack.signingSecret ?? '', port: slack.port }),
      connected: () => null,
    };
  }
  const { app } = state;
  app.use(guard(deps, slack.teamId));
  registerListeners(app, deps);
  app.error(async (e) => {
    log.error({ err: coerceError(e) }, 'Slack listener failed');
  });
  return state;
}
