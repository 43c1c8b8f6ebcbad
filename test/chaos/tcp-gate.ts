/**
 * A TCP pass-through in front of a simulator that can be shut: while shut nothing listens on its
 * port, so a client's connect fails with ECONNREFUSED before any byte of a request is sent.
 */
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpGate {
  /** Base URL with the gate's port in place of the target's. */
  url(target: string): string;
  /** Stop listening and drop live connections: the next connect is refused. */
  shut(): Promise<void>;
  /** Listen again on the same port. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpGate(targetPort: number): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | null = null;

  const listen = async () => {
    const s = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    s.listen(port, '127.0.0.1');
    await once(s, 'listening');
    const address = s.address();
    if (!address || typeof address === 'string') throw new Error('tcp gate: no address');
    port = address.port;
    server = s;
  };

  const shut = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    url(target) {
      const u = new URL(target);
      u.port = String(port);
      return u.toString().replace(/\/$/, target.endsWith('/') ? '/' : '');
    },
    shut,
    open: listen,
    close: shut,
  };
}
