/** /healthz (the process answers) and /readyz (the store answers) for orchestrators. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from '../errors.ts';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(
  listen: { port: number; host: string },
  ready: () => Promise<boolean>,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return reply(200, { ok: true });
    if (req.url === '/readyz') {
      ready().then(
        (ok) => reply(ok ? 200 : 503, { ok }),
        () => reply(503, { ok: false }),
      );
      return;
    }
    reply(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new StartupError('HEALTH_PORT, HEALTH_HOST', `cannot be bound (${e.message})`)),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
