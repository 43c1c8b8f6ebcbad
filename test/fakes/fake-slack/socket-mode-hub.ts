/**
 * Socket Mode as Slack runs it (docs.slack.dev "Using Socket Mode"): a hello on connect; each
 * envelope goes to one connection (round robin here); an envelope not acked in time is sent again
 * with retry_attempt+1 and retry_reason "timeout", up to three retries.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { AckPayloadSchema } from './block-kit-schemas.ts';
import type { FakeSlackState } from './fake-slack-state.ts';

const CLOSE_HANDSHAKE_MS = 500;
/** Close code of a dropped connection (4000-4999: application-defined). */
const DROP_CODE = 4000;

/**
 * When the hub drops the connection an envelope went out on: right after sending it (the app gets
 * the envelope but its ack is lost, so Slack redelivers it) or right after its ack arrived.
 */
export type DropPoint = 'before-ack' | 'after-ack';

export const ENVELOPE_TYPES = ['slash_commands', 'interactive', 'events_api'] as const;
export type EnvelopeType = (typeof ENVELOPE_TYPES)[number];

/** What came back for one delivery, over Socket Mode or HTTP. */
export interface DeliveryResult {
  acked: boolean;
  /** The ack's payload as the bot sent it ({} for a bare ack). */
  payload: Record<string, unknown> | undefined;
  /** Envelopes sent, first delivery included. */
  attempts: number;
  /** HTTP mode only: the status the bot's Request URL answered with. */
  status: number | undefined;
}

/** Shared, mutable: tests may shorten the ack timeout after start. */
export interface Timing {
  ackTimeoutMs: number;
}

const AckMessage = z.object({
  envelope_id: z.string(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

interface Pending {
  type: EnvelopeType;
  envelopeIds: Set<string>;
  attempts: number;
  timer: NodeJS.Timeout | undefined;
  settle: (r: DeliveryResult) => void;
}

export class SocketModeHub {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sockets: WebSocket[] = [];
  readonly #tickets = new Set<string>();
  readonly #pending = new Set<Pending>();
  readonly #state: FakeSlackState;
  readonly #maxRetries: number;
  readonly #timing: Timing;
  #next = 0;
  readonly #drops: { point: DropPoint; type: EnvelopeType }[] = [];
  #dropped = 0;
  readonly #droppedSockets = new WeakSet<WebSocket>();

  constructor(state: FakeSlackState, timing: Timing, maxRetries = 3) {
    this.#state = state;
    this.#timing = timing;
    this.#maxRetries = maxRetries;
  }

  get connectionCount(): number {
    return this.#sockets.length;
  }

  /** Connections the hub has dropped so far (dropNext). */
  get droppedCount(): number {
    return this.#dropped;
  }

  /** The next envelope of `type` has its connection dropped at `point`; queued in call order. */
  dropNext(point: DropPoint, type: EnvelopeType = 'interactive'): void {
    this.#drops.push({ point, type });
  }

  #takeDrop(point: DropPoint, type: EnvelopeType): boolean {
    const i = this.#drops.findIndex((d) => d.point === point && d.type === type);
    if (i < 0) return false;
    this.#drops.splice(i, 1);
    return true;
  }

  /** Later deliveries skip it, and anything it still sends (a late ack) is lost, as on a real drop. */
  #drop(ws: WebSocket): void {
    this.#dropped += 1;
    this.#droppedSockets.add(ws);
    const i = this.#sockets.indexOf(ws);
    if (i >= 0) this.#sockets.splice(i, 1);
    ws.close(DROP_CODE, 'fake Slack dropped the connection');
  }

  /** One-use ticket for the ws:// URL that apps.connections.open hands out. */
  issueTicket(): string {
    const ticket = randomUUID();
    this.#tickets.add(ticket);
    return ticket;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket' || !this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    this.#sockets.push(ws);
    ws.on('message', (data, isBinary) => this.#onMessage(ws, data, isBinary));
    ws.on('close', () => {
      const i = this.#sockets.indexOf(ws);
      if (i >= 0) this.#sockets.splice(i, 1);
      this.#state.changed();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#sockets.length,
        debug_info: { host: 'fake-slack', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.#state.identity.appId },
      }),
    );
    this.#state.changed();
  }

  #onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    if (this.#droppedSockets.has(ws)) return;
    const text = isBinary ? '' : data.toString();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const ack = AckMessage.safeParse(json);
    if (!ack.success) {
      this.#state.recordViolations('socket_mode', [
        { error: 'invalid_ack', rule: 'ack is {envelope_id, payload}', path: '' },
      ]);
      return;
    }
    const pending = [...this.#pending].find((p) => p.envelopeIds.has(ack.data.envelope_id));
    // A late ack for a delivery already given up on: Slack ignores it, and so do we.
    if (pending === undefined) return;
    const payload = ack.data.payload ?? {};
    const shape = AckPayloadSchema.safeParse(payload);
    if (!shape.success) {
      const path = shape.error.issues[0]?.path.map(String).join('.') ?? '';
      this.#state.recordViolations('socket_mode', [
        { error: 'invalid_ack_payload', rule: 'ack payload shape', path },
      ]);
    }
    pending.settle({ acked: true, payload, attempts: pending.attempts, status: undefined });
    if (this.#takeDrop('after-ack', pending.type)) this.#drop(ws);
  }

  /** Sends one envelope and resolves when it is acked or every retry has timed out. */
  deliver(type: EnvelopeType, payload: Record<string, unknown>): Promise<DeliveryResult> {
    if (this.#sockets.length === 0) {
      return Promise.reject(new Error('fake Slack: no Socket Mode connection (did the app start?)'));
    }
    return new Promise((resolve) => {
      const pending: Pending = {
        type,
        envelopeIds: new Set(),
        attempts: 0,
        timer: undefined,
        settle: (r) => {
          clearTimeout(pending.timer);
          if (!this.#pending.delete(pending)) return;
          resolve(r);
          this.#state.changed();
        },
      };
      this.#pending.add(pending);
      const send = (): void => {
        const envelopeId = randomUUID();
        pending.envelopeIds.add(envelopeId);
        const retry = pending.attempts;
        pending.attempts += 1;
        const ws = this.#sockets[this.#next++ % Math.max(this.#sockets.length, 1)];
        const drop = ws !== undefined && this.#takeDrop('before-ack', type);
        ws?.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== 'events_api',
            retry_attempt: retry,
            retry_reason: retry === 0 ? '' : 'timeout',
          }),
          () => {
            if (drop) this.#drop(ws);
          },
        );
        pending.timer = setTimeout(() => {
          if (pending.attempts <= this.#maxRetries) send();
          else
            pending.settle({
              acked: false,
              payload: undefined,
              attempts: pending.attempts,
              status: undefined,
            });
        }, this.#timing.ackTimeoutMs);
      };
      send();
    });
  }

  /**
   * Gives up on pending deliveries and closes every connection, waiting briefly for the close
   * handshake (a stopped Bolt app has usually started it) so the client sees a clean close.
   */
  async close(): Promise<void> {
    for (const p of [...this.#pending]) {
      p.settle({ acked: false, payload: undefined, attempts: p.attempts, status: undefined });
    }
    await Promise.all(
      [...this.#sockets].map(
        (ws) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, CLOSE_HANDSHAKE_MS);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'fake Slack closing');
          }),
      ),
    );
    this.#wss.close();
  }
}
