/**
 * Fake collaborators for the worker's fast unit layer: a chat that records what it was asked to
 * send with each message's key, finds keyed messages like Slack (and fails on demand), a Provisioner scripted per call (and held on demand), and the
 * task context around them over a real store.
 */
import { afterAll, beforeAll } from 'vitest';
import type { CheckResult } from '../../../src/domain/check-result.ts';
import type { Clock } from '../../../src/domain/clock.ts';
import type { Json, SlackRef } from '../../../src/domain/request.ts';
import type { Logger } from '../../../src/observability/logger.ts';
import { generateSecretKey } from '../../../src/secrets/secret-box.ts';
import { openSqliteStore } from '../../../src/store/open-store.ts';
import type { Job, NewJob, Store } from '../../../src/store/store.ts';
import type { PrecheckResult, Provisioner, SubmitOutcome } from '../../../src/vendors/provisioner.ts';
import type {
  CardContent,
  KeyedMessaging,
  PersonalContent,
  Place,
  ResultsFile,
  ThreadContent,
} from '../../../src/worker/messaging.ts';
import type { WorkerContext } from '../../../src/worker/tasks/index.ts';

export const APPROVAL_CHANNEL = 'C0FAKEAPPROVE';

export type Sent = (
  | { via: 'post'; channel: string; card: CardContent }
  | { via: 'update'; ref: SlackRef; card: CardContent }
  | { via: 'reply'; card: SlackRef; content: ThreadContent }
  | { via: 'file'; card: SlackRef; file: ResultsFile }
  | { via: 'dm'; userId: string; content: PersonalContent }
  | { via: 'ephemeral'; channel: string; userId: string; content: PersonalContent }
) & { key?: string | undefined; ts?: string };

/**
 * Records every message; `failNext(via, type)` makes the next such send throw once. It serves as
 * the worker's chat (keyed sends, `find`) and, called directly by a task, as its Messaging.
 */
export class FakeMessaging implements KeyedMessaging {
  readonly sent: Sent[] = [];
  /** Every `find` asked, in order: `<place> <key>`. */
  readonly finds: string[] = [];
  readonly #failures: { via: Sent['via']; type: string | undefined; error: Error }[] = [];
  #ts = 0;

  failNext(via: Sent['via'], type?: string, error = new Error(`fake ${via} failed`)): void {
    this.#failures.push({ via, type, error });
  }

  #record(s: Sent, type?: string): void {
    const i = this.#failures.findIndex((f) => f.via === s.via && (f.type === undefined || f.type === type));
    if (i >= 0) {
      const [failure] = this.#failures.splice(i, 1);
      throw failure!.error;
    }
    this.sent.push(s);
  }

  #nextTs(): string {
    return `1700000000.${String(++this.#ts).padStart(6, '0')}`;
  }

  async post(channel: string, card: CardContent, key?: string): Promise<SlackRef> {
    const ts = this.#nextTs();
    this.#record({ via: 'post', channel, card, key, ts });
    return { channel, ts };
  }
  async update(ref: SlackRef, card: CardContent): Promise<void> {
    this.#record({ via: 'update', ref, card });
  }
  /** Stands in for the rendered message's hash: the same content, the same string. */
  cardRender(card: CardContent): string {
    return JSON.stringify(card);
  }
  async remove(): Promise<void> {}
  async reply(card: SlackRef, content: ThreadContent, key?: string): Promise<void> {
    this.#record({ via: 'reply', card, content, key, ts: this.#nextTs() }, content.type);
  }
  async replyFile(card: SlackRef, file: ResultsFile): Promise<void> {
    this.#record({ via: 'file', card, file, ts: this.#nextTs() });
  }
  async dm(userId: string, content: PersonalContent, key?: string): Promise<void> {
    this.#record({ via: 'dm', userId, content, key, ts: this.#nextTs() }, content.type);
  }
  async ephemeral(channel: string, userId: string, content: PersonalContent): Promise<void> {
    this.#record({ via: 'ephemeral', channel, userId, content }, content.type);
  }
  async permalink(ref: SlackRef): Promise<string | null> {
    return `https://fake.slack/${ref.channel}/${ref.ts}`;
  }
  async find(place: Place, key: string): Promise<SlackRef | null> {
    const where =
      'channel' in place ? place.channel : 'dm' in place ? `dm ${place.dm}` : `thread ${place.thread.ts}`;
    this.finds.push(`${where} ${key}`);
    const hit = this.sent.find(
      (s) =>
        s.key === key &&
        (s.via === 'post'
          ? 'channel' in place && s.channel === place.channel
          : s.via === 'reply'
            ? 'thread' in place && s.card.ts === place.thread.ts
            : s.via === 'dm' && 'dm' in place && s.userId === place.dm),
    );
    if (!hit?.ts) return null;
    return { channel: hit.via === 'post' ? hit.channel : 'elsewhere', ts: hit.ts };
  }
  async findFile(card: SlackRef, filename: string): Promise<SlackRef | null> {
    this.finds.push(`thread ${card.ts} file ${filename}`);
    const hit = this.sent.find(
      (s) => s.via === 'file' && s.card.ts === card.ts && s.file.filename === filename,
    );
    return hit?.ts ? { channel: card.channel, ts: hit.ts } : null;
  }

  /** One line per message, e.g. `dm U1 outcome`, `reply outcome`, `post C0…`. */
  lines(): string[] {
    return this.sent.map((s) => {
      if (s.via === 'dm') return `dm ${s.userId} ${s.content.type}`;
      if (s.via === 'ephemeral') return `ephemeral ${s.userId} ${s.content.type}`;
      if (s.via === 'reply') return `reply ${s.content.type}`;
      if (s.via === 'file') return `file ${s.file.filename}`;
      return `${s.via} card ${s.card.request.status}`;
    });
  }
}

type Step<T> = T | Error | ((payload: Json) => Promise<T>);

/** A provisioner whose precheck and submit answer from a script (the last entry repeats). */
export class FakeProvisioner implements Provisioner {
  readonly id = 'pam360' as const;
  readonly displayName = 'FakeVendor';
  readonly calls: ('precheck' | 'submit')[] = [];
  precheckSteps: Step<PrecheckResult>[] = [{ state: 'absent', notes: [] }];
  submitSteps: Step<SubmitOutcome>[] = [{ kind: 'done', label: 'Created', headline: 'Created', lines: [] }];

  readonly createPolicy: 'precheck' | 'resubmit';
  constructor(createPolicy: 'precheck' | 'resubmit' = 'precheck') {
    this.createPolicy = createPolicy;
  }

  formFields() {
    return [];
  }
  parseForm(): Json {
    return { username: 'fake' };
  }
  describe(payload: Json) {
    const name =
      typeof payload === 'object' && payload && 'username' in payload ? String(payload.username) : '?';
    return { subject: name, lines: [] };
  }
  precheck(payload: Json, signal?: AbortSignal): Promise<PrecheckResult> {
    this.calls.push('precheck');
    return this.#play(this.precheckSteps, payload, signal);
  }
  submit(payload: Json, signal?: AbortSignal): Promise<SubmitOutcome> {
    this.calls.push('submit');
    return this.#play(this.submitSteps, payload, signal);
  }
  async checkConnection(): Promise<CheckResult[]> {
    return [];
  }
  async close(): Promise<void> {}

  async #play<T>(steps: Step<T>[], payload: Json, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const step = steps.length > 1 ? steps.shift()! : steps[0]!;
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return (step as (p: Json) => Promise<T>)(payload);
    return step;
  }
}

/** For calling a task directly, or for `buildTasks` (which gives each job its own Messaging). */
export function taskContext(
  store: Store,
  clock: Clock,
  log: Logger,
  provisioner: Provisioner,
  messaging: FakeMessaging,
): WorkerContext & { messaging: FakeMessaging } {
  return {
    store,
    clock,
    log,
    messaging,
    adminUsers: [],
    newId: () => 'unused',
    wake: () => undefined,
    vendors: new Map([
      [
        provisioner.id,
        {
          provisioner,
          lookup: { users: [], groups: [], everyone: false },
          policy: {
            approvers: ['U0APPROVER'],
            approverGroups: [],
            requiredApprovals: 1,
            allowSelfApproval: false,
          },
          approvalChannel: APPROVAL_CHANNEL,
          expireAfterHours: 72,
          remindAfterHours: [],
          requireJustification: false,
          secretTtlMinutes: 60,
        },
      ],
    ]),
  };
}

let seq = 0;

/** A request already APPROVED (its facts as given), with `jobs` enqueued in the same step. */
export async function approvedRequest(
  store: Store,
  clock: Clock,
  facts: Record<string, Json> = {},
  jobs: (id: string) => NewJob[] = () => [],
): Promise<string> {
  const id = `req-unit-${++seq}-${Date.now()}`;
  const created = await store.createRequest(
    {
      id,
      vendor: 'pam360',
      requesterId: 'U0REQUESTER',
      teamId: 'T0TEAM',
      payload: { username: `user${seq}` },
      payloadHash: 'hash',
      facts,
    },
    { actor: 'U0REQUESTER', action: 'requested' },
    [],
    clock.now(),
  );
  await store.transition({
    id,
    expected: { status: 'PENDING', version: created.version },
    to: 'APPROVED',
    audit: { actor: 'U0APPROVER', action: 'approved' },
    jobs: jobs(id),
    at: clock.now(),
  });
  return id;
}

/** Waits for a condition of the store or the fakes (never for an amount of time). */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited 10 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise with its resolve, for holding a task or a store call until the test says so. */
export function gate(): { promise: Promise<void>; open(): void; reached: Promise<void>; arrive(): void } {
  let open = () => {};
  let arrive = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return { promise, open, reached, arrive };
}

/** One store for a describe block, opened before its tests and closed after them. */
export function useMemoryStore(): () => Store {
  let store: Store | undefined;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => {
    await store?.close();
  });
  return () => {
    if (!store) throw new Error('no store: beforeAll failed');
    return store;
  };
}

/** A migrated in-memory SQLite store (the fast layer's real store). */
export async function memoryStore(): Promise<Store> {
  const store = openSqliteStore({ path: ':memory:', secretKey: generateSecretKey() });
  await store.migrate();
  return store;
}

/** A job as a slot holds it, for calling a task directly. */
export const runningJob = (clock: Clock, kind: string, requestId: string, payload: Json = null): Job => ({
  id: 1,
  kind,
  requestId,
  queue: null,
  payload,
  state: 'running',
  attempts: 1,
  runAfter: clock.now(),
  leaseOwner: 'w',
  leaseExpiresAt: null,
  lastError: null,
  dedupeKey: null,
  createdAt: clock.now(),
});
