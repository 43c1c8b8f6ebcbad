/**
 * An ack that cannot be sent (the Socket Mode connection dropped between delivery and ack) must not
 * stop the listener: app.ts has already marked the delivery id, so Slack's redelivery on the next
 * connection is dropped as a duplicate, and this run is the only one the click or form gets.
 */
import { coerceError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';

type Ack = (...response: never[]) => Promise<void>;

export function tolerateLostAck(log: Logger) {
  return <A extends { ack: Ack }>(listener: (args: A) => Promise<void>) =>
    (args: A): Promise<void> => {
      const ack = args.ack;
      const tolerant = (async (...response: never[]) => {
        try {
          await ack(...response);
        } catch (e) {
          log.warn({ err: coerceError(e) }, 'Slack ack not delivered; handling the delivery anyway');
        }
      }) as A['ack'];
      return listener({ ...args, ack: tolerant });
    };
}
