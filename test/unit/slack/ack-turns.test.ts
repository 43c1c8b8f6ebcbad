import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AckTurns } from '../../../src/slack/ack-turns.ts';

/** Two ends of a loopback TCP connection: bytes written on one are read on the other in the loop's I/O phase. */
async function socketPair(): Promise<{ a: Socket; b: Socket; close: () => void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const a = connect(address.port, '127.0.0.1');
  await once(a, 'connect');
  const [b] = await accepted;
  return {
    a,
    b,
    close: () => {
      a.destroy();
      b.destroy();
      server.close();
    },
  };
}

describe('AckTurns (the work after an ack waits its turn)', () => {
  let close = () => {};
  afterEach(() => close());

  it('resumes waiters in call order', async () => {
    const turns = new AckTurns();
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => turns.next().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('resumes one waiter per turn of the event loop, so input read in between is handled first', async () => {
    const pair = await socketPair();
    close = pair.close;
    const turns = new AckTurns();
    const order: string[] = [];
    pair.b.on('data', () => order.push('read'));
    await Promise.all(
      ['first', 'second', 'third'].map(async (name) => {
        await turns.next();
        order.push(name);
        // Like an envelope arriving while the first delivery's work runs.
        if (name === 'first') pair.a.write('envelope');
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Resumed all at once, the read would come last.
    expect(order).toEqual(['first', 'read', 'second', 'third']);
  });
});
