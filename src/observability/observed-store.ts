/**
 * Every life-cycle step passes through the store, so this is the one place that tells it: an info
 * line per transition (request id, vendor, actor, from → to) and the metrics that go with it. It
 * wraps the Store in a Proxy so that methods added to the interface pass through untouched.
 * Observation runs after the store committed, never fails the call it observes, and never delays
 * it: the caller has its answer first (a modal's ack carries the outcome of createRequest), and the
 * line, the metrics and the read they may need follow in a later turn of the event loop.
 */
import type { AccessRequest, RequestStatus } from '../domain/request.ts';
import { coerceError } from '../errors.ts';
import type { DecisionInput, DecisionResult, Store, TransitionInput } from '../store/store.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

const OUTCOMES: readonly RequestStatus[] = ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'];

interface Step {
  request: AccessRequest;
  actor: string;
  from: RequestStatus | null;
}

class LifecycleObserver {
  readonly store: Store;
  readonly log: Logger;
  readonly metrics: Metrics;
  constructor(store: Store, log: Logger, metrics: Metrics) {
    this.store = store;
    this.log = log;
    this.metrics = metrics;
  }

  step({ request, actor, from }: Step): void {
    const to = request.status;
    this.log.info(
      { requestId: request.id, vendor: request.vendor, actor, from, to },
      `request ${from ?? 'new'} → ${to}`,
    );
    this.metrics.transition(request.vendor, from ?? 'new', to);
  }

  decided(input: DecisionInput, result: DecisionResult): void {
    const { request } = result;
    if (!result.transitioned) {
      this.log.info(
        { requestId: request.id, vendor: request.vendor, actor: input.approverId, decision: input.decision },
        `request ${request.status}: approval ${result.approvals.length} of ${input.requiredApprovals} recorded`,
      );
      return;
    }
    this.step({ request, actor: input.approverId, from: 'PENDING' });
    this.metrics.decision(
      request.vendor,
      request.status === 'APPROVED' ? 'approved' : 'denied',
      input.at.getTime() - request.createdAt.getTime(),
    );
  }

  async transitioned(input: TransitionInput, request: AccessRequest): Promise<void> {
    // A fact-only change (same status) is not a life-cycle step.
    if (input.expected.status === request.status) return;
    this.step({ request, actor: input.audit.actor, from: input.expected.status });
    if (!OUTCOMES.includes(request.status)) return;
    const approvals = await this.store.listApprovals(request.id);
    const approvedAt = Math.max(
      ...approvals.filter((a) => a.decision === 'approve').map((a) => a.decidedAt.getTime()),
    );
    if (Number.isFinite(approvedAt))
      this.metrics.outcome(request.vendor, request.status, input.at.getTime() - approvedAt);
  }

  /**
   * Hands `result` back at once and runs `observe` on it after the caller's continuation (its
   * awaits are microtasks; setImmediate waits for them); a failure there is logged, never thrown.
   */
  after<T>(result: T, observe: (r: T) => void | Promise<void>): T {
    setImmediate(async () => {
      try {
        await observe(result);
      } catch (e) {
        this.log.warn({ err: coerceError(e) }, 'observing a store change failed');
      }
    });
    return result;
  }
}

export function observeStore(store: Store, log: Logger, metrics: Metrics): Store {
  const o = new LifecycleObserver(store, log, metrics);
  const wrapped: Partial<Store> = {
    createRequest: async (...args) =>
      o.after(await store.createRequest(...args), (request) =>
        o.step({ request, actor: args[1].actor, from: null }),
      ),
    recordDecision: async (input) => o.after(await store.recordDecision(input), (r) => o.decided(input, r)),
    transition: async (input) => o.after(await store.transition(input), (r) => o.transitioned(input, r)),
    markDelivery: async (...args) =>
      o.after(await store.markDelivery(...args), (first) => {
        if (!first) metrics.duplicateDelivery();
      }),
    markDeliveries: async (...args) =>
      o.after(await store.markDeliveries(...args), (firsts) => {
        for (const first of firsts) if (!first) metrics.duplicateDelivery();
      }),
  };
  return new Proxy(store, {
    get(target, prop) {
      if (Object.hasOwn(wrapped, prop)) return wrapped[prop as keyof Store];
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
