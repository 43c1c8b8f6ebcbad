/**
 * Acks for listeners. An ack that cannot be sent (the Socket Mode connection dropped between
 * delivery and ack) must not stop the listener: the delivery id is marked in the store (app.ts),
 * so Slack's redelivery on the next connection is dropped as a duplicate, and this run is the only
 * one the click or form gets. Slash commands and clicks are acked by app.ts's guard before anything
 * else runs; the listener's own ack is then a no-op. A listener that fails after its delivery was
 * acked cannot be answered through the ack any more, so the user is told instead (`onFailure`).
 */
import { coerceError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';

type Ack = (...response: never[]) => Promise<void>;

/** Set on Bolt's per-delivery context once the guard has acked. */
const ACKED_EARLY = 'accessDeskAcked';

export const markAcked = (context: Record<string, unknown>): void => {
  context[ACKED_EARLY] = true;
};

const wasAcked = (context: Record<string, unknown> | undefined): boolean => context?.[ACKED_EARLY] === true;

/** The ack, with a failure to send it logged instead of thrown. */
export function tolerantAck<F extends Ack>(ack: F, log: Logger): F {
  return (async (...response: never[]) => {
    try {
      await ack(...response);
    } catch (e) {
      log.warn({ err: coerceError(e) }, 'Slack ack not delivered; handling the delivery anyway');
    }
  }) as F;
}

export function tolerateLostAck<A extends { ack: Ack; context?: Record<string, unknown> }>(
  log: Logger,
  onFailure?: (args: A) => Promise<void>,
) {
  return <B extends A>(listener: (args: B) => Promise<void>) =>
    async (args: B): Promise<void> => {
      let acked = wasAcked(args.context);
      const send = tolerantAck(args.ack, log);
      const ack = (async (...response: never[]) => {
        if (acked) return;
        acked = true;
        await send(...response);
      }) as B['ack'];
      try {
        await listener({ ...args, ack });
      } catch (e) {
        if (acked && onFailure) {
          await onFailure(args).catch((err: unknown) =>
            log.error({ err: coerceError(err) }, 'could not tell the user their action failed'),
          );
        }
        throw e;
      }
    };
}
