/**
 * The Prometheus series of one running bot (prom-client, its own registry: tests and the chaos
 * suite run several bots in one process). Counters and histograms are fed where things happen;
 * request counts and the job queue are read from the store on each scrape, so every replica
 * reports the shared truth.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';

/** Seconds: a human decision takes minutes to days; an outcome seconds to hours. */
const HUMAN_BUCKETS = [60, 300, 900, 3600, 4 * 3600, 24 * 3600, 72 * 3600];
const OUTCOME_BUCKETS = [1, 5, 30, 120, 600, 3600, 6 * 3600];
const CALL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One vendor HTTP call as the vendor HTTP helper reports it. */
export interface VendorCallSample {
  vendor: string;
  operation: string;
  /** Error kind (auth, validation, …); null when the call succeeded. */
  kind: string | null;
  durationMs: number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #transitions = new Counter({
    name: 'access_desk_request_transitions_total',
    help: 'Life-cycle transitions applied, by vendor and from → to status.',
    labelNames: ['vendor', 'from', 'to'] as const,
    registers: [this.registry],
  });
  readonly #decision = new Histogram({
    name: 'access_desk_request_decision_seconds',
    help: 'From request to the decision that approved or denied it.',
    labelNames: ['vendor', 'decision'] as const,
    buckets: HUMAN_BUCKETS,
    registers: [this.registry],
  });
  readonly #outcome = new Histogram({
    name: 'access_desk_approval_outcome_seconds',
    help: 'From the approval to the provisioning outcome.',
    labelNames: ['vendor', 'outcome'] as const,
    buckets: OUTCOME_BUCKETS,
    registers: [this.registry],
  });
  readonly #vendorCalls = new Histogram({
    name: 'access_desk_vendor_call_seconds',
    help: 'Vendor HTTP call latency, by vendor and operation.',
    labelNames: ['vendor', 'operation'] as const,
    buckets: CALL_BUCKETS,
    registers: [this.registry],
  });
  readonly #vendorErrors = new Counter({
    name: 'access_desk_vendor_call_errors_total',
    help: 'Failed vendor HTTP calls, by vendor, operation and error kind.',
    labelNames: ['vendor', 'operation', 'kind'] as const,
    registers: [this.registry],
  });
  readonly #slackCalls = new Counter({
    name: 'access_desk_slack_api_calls_total',
    help: 'Slack Web API calls, by method.',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly #slackErrors = new Counter({
    name: 'access_desk_slack_api_errors_total',
    help: 'Slack Web API calls that failed, by method and Slack error code (or http_<status>, network).',
    labelNames: ['method', 'error'] as const,
    registers: [this.registry],
  });
  readonly #slackRateLimited = new Counter({
    name: 'access_desk_slack_api_rate_limited_total',
    help: 'Slack Web API calls answered 429, by method.',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly #duplicates = new Counter({
    name: 'access_desk_slack_deliveries_deduplicated_total',
    help: 'Slack deliveries dropped because the same event or trigger was already handled.',
    registers: [this.registry],
  });

  /** Registers the series read from the store on each scrape. */
  constructor(store: Store, clock: Clock) {
    new Gauge({
      name: 'access_desk_requests',
      help: 'Requests in the store, by vendor and status.',
      labelNames: ['vendor', 'status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await store.countRequests();
        this.reset();
        for (const c of counts) this.set({ vendor: c.vendor, status: c.status }, c.count);
      },
    });
    const stats = () => store.jobQueueStats(clock.now());
    new Gauge({
      name: 'access_desk_jobs_queued',
      help: 'Queued jobs, by kind.',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await stats();
        this.reset();
        for (const r of rows) this.set({ kind: r.kind }, r.depth);
      },
    });
    new Gauge({
      name: 'access_desk_jobs_oldest_age_seconds',
      help: 'How long the oldest due job of each kind has waited past its run time.',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await stats();
        this.reset();
        for (const r of rows) this.set({ kind: r.kind }, r.oldestAgeMs / 1000);
      },
    });
  }

  transition(vendor: string, from: string, to: string): void {
    this.#transitions.inc({ vendor, from, to });
  }

  decision(vendor: string, decision: 'approved' | 'denied', ms: number): void {
    this.#decision.observe({ vendor, decision }, ms / 1000);
  }

  outcome(vendor: string, outcome: string, ms: number): void {
    this.#outcome.observe({ vendor, outcome }, ms / 1000);
  }

  vendorCall(call: VendorCallSample): void {
    this.#vendorCalls.observe({ vendor: call.vendor, operation: call.operation }, call.durationMs / 1000);
    if (call.kind !== null)
      this.#vendorErrors.inc({ vendor: call.vendor, operation: call.operation, kind: call.kind });
  }

  /** One Slack Web API call; `error` is Slack's code (or http_<status> / network) when it failed. */
  slackCall(method: string, error: string | null, rateLimited: boolean): void {
    this.#slackCalls.inc({ method });
    if (error !== null) this.#slackErrors.inc({ method, error });
    if (rateLimited) this.#slackRateLimited.inc({ method });
  }

  duplicateDelivery(): void {
    this.#duplicates.inc();
  }

  /** The text exposition format, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
