/**
 * Builds and starts everything, in order: store → vendors → Slack client → worker → Slack app →
 * health; stops in reverse. serve.ts (the process), the sandbox and the integration tests all start the bot here.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from './config/schema.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { VENDOR_IDS, type VendorId } from './domain/request.ts';
import type { FlowDeps } from './flows/deps.ts';
import { RateLimiter } from './flows/rate-limiter.ts';
import { sweep } from './flows/sweep.ts';
import { type HealthServer, startHealthServer } from './observability/health.ts';
import type { Logger } from './observability/logger.ts';
import { Metrics } from './observability/metrics.ts';
import { observeStore } from './observability/observed-store.ts';
import { createSlackApp } from './slack/app.ts';
import { SlackDirectory } from './slack/slack-directory.ts';
import { SlackFiles } from './slack/slack-files.ts';
import { SlackGateway } from './slack/slack-gateway.ts';
import { SlackMessaging } from './slack/slack-messaging.ts';
import { slackMetricsFetch } from './slack/slack-metrics-fetch.ts';
import { SlackSentLookup } from './slack/slack-sent-lookup.ts';
import { initSlackApp, startSlackApp } from './slack/slack-startup.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import { buildVendors } from './vendors/registry.ts';
import { InboundTraffic } from './worker/inbound-traffic.ts';
import { buildTasks } from './worker/tasks/index.ts';
import { type StopOptions, Worker } from './worker/worker.ts';

const DAY = 86_400_000;

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** An already open store (tests share one); otherwise opened from config.store. */
  store?: Store;
}

export interface Runtime {
  app: App;
  store: Store;
  worker: Worker;
  deps: FlowDeps;
  health: HealthServer | null;
  metrics: Metrics;
  /** Stop in reverse order; `deadlineMs` bounds how long running jobs may take (see Worker.stop). */
  stop(options?: StopOptions): Promise<void>;
}

export async function startAccessDesk(opts: RuntimeOptions): Promise<Runtime> {
  const { config, log } = opts;
  const clock = opts.clock ?? systemClock;
  // Vendors first: their settings errors stop start-up before the store opens. No vendor call
  // happens before the worker starts, so `metrics` exists by the time onCall runs.
  const vendors = buildVendors(config.vendors, { log, clock, onCall: (call) => metrics.vendorCall(call) });
  const opened = opts.store ?? (await openStore(config.store, { log }));
  const metrics = new Metrics(opened, clock);
  const store = observeStore(opened, log.child({ component: 'lifecycle' }), metrics);
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2 },
    fetch: slackMetricsFetch(config.slack.apiUrl, metrics),
  };
  const client = new WebClient(config.slack.botToken, clientOptions);
  const gateway = new SlackGateway(client);
  const files = new SlackFiles(client, { token: config.slack.botToken, apiUrl: config.slack.apiUrl });
  // The worker's sends are retried by their job, which first looks for what a lost answer may have
  // posted (worker/send-once.ts); the client's own retry would post again without looking.
  const workerClient = new WebClient(config.slack.botToken, {
    ...clientOptions,
    retryConfig: { retries: 0 },
  });
  let worker: Worker | null = null;
  const inbound = new InboundTraffic();
  const deps: FlowDeps = {
    store,
    clock,
    log,
    vendors,
    adminUsers: config.slack.adminUsers,
    newId: () => randomUUID(),
    wake: () => worker?.wake(),
  };
  const w = new Worker({
    store,
    clock,
    log: log.child({ component: 'worker' }),
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: config.worker.concurrency,
    vendorConcurrency: config.worker.vendorConcurrency,
    vendorLimits: vendorLimits(config.vendors),
    pollMs: config.worker.pollMs,
    leaseMs: config.worker.leaseMs,
    sweep: () => sweep(deps, { jobRetentionMs: config.worker.retentionDays * DAY }),
    tasks: buildTasks({
      ...deps,
      messaging: new SlackMessaging(
        new SlackGateway(workerClient),
        files,
        new SlackSentLookup(workerClient, log.child({ component: 'worker' })),
      ),
    }),
    inbound,
  });
  worker = w;
  const { app, connected } = createSlackApp(
    config.slack,
    clientOptions,
    {
      ...deps,
      gateway,
      files,
      directory: new SlackDirectory(client),
      lookupLimiter: new RateLimiter({ limit: config.slack.lookupsPerMinute, windowMs: 60_000, clock }),
      inbound,
    },
    log,
  );
  let stopOptions: StopOptions = {};
  const started: Array<() => Promise<void>> = [
    async () => {
      for (const v of vendors.values()) await v.provisioner.close();
    },
  ];
  if (!opts.store) started.push(() => opened.close());
  const stopStarted = async () => {
    for (const close of started.splice(0).reverse()) await close();
  };
  let health: HealthServer | null = null;
  try {
    await initSlackApp(app);
    w.start();
    started.push(() => w.stop(stopOptions));
    // Other replicas' enqueues wake this one (PostgreSQL); SQLite has only the in-process wake.
    const unwatch = await store.watchJobs(() => w.wake());
    started.push(unwatch);
    await startSlackApp(app, config.slack);
    started.push(async () => {
      await app.stop();
    });
    if (config.health.port > 0) {
      const server = await startHealthServer(config.health, {
        ready: {
          store: async () => {
            await opened.listRequests({ limit: 1 });
            return null;
          },
          migrations: async () => {
            const pending = await opened.pendingMigrations();
            return pending.length === 0 ? null : `not applied: ${pending.join(', ')}`;
          },
          slack: async () => (connected() === false ? 'Socket Mode not connected' : null),
        },
        metrics: () => metrics.scrape(),
      });
      health = server;
      started.push(() => server.close());
    }
  } catch (e) {
    await stopStarted();
    throw e;
  }
  log.info({ mode: config.slack.mode, vendors: [...vendors.keys()] }, 'Access Desk started');
  const stop = async (options: StopOptions = {}) => {
    stopOptions = options;
    await stopStarted();
  };
  return { app, store, worker: w, deps, health, metrics, stop };
}

/** Each vendor's <VENDOR>_MAX_PARALLEL_CALLS, where set. */
function vendorLimits(vendors: Config['vendors']): Partial<Record<VendorId, number>> {
  const limits: Partial<Record<VendorId, number>> = {};
  for (const id of VENDOR_IDS) {
    const limit = vendors[id].maxParallelCalls;
    if (limit !== undefined) limits[id] = limit;
  }
  return limits;
}
