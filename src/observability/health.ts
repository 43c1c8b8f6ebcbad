/**
 * The health port for orchestrators and Prometheus: /healthz (the process answers), /readyz (every
 * readiness check passes, else 503 with the reasons) and /metrics (text exposition format).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coerceError, StartupError } from '../errors.ts';

/** A readiness check: null when ready, otherwise the reason in a few words. */
export type ReadyCheck = () => Promise<string | null>;

export interface HealthEndpoints {
  ready: Readonly<Record<string, ReadyCheck>>;
  metrics: () => Promise<{ contentType: string; body: string }>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Runs every check; one that throws is not ready, with its message as the reason. */
export async function readiness(
  checks: Readonly<Record<string, ReadyCheck>>,
): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const reason = await check().catch((e: unknown) => coerceError(e).message);
      return [name, reason ?? 'ok'] as const;
    }),
  );
  return { ok: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}

export async function startHealthServer(
  listen: { port: number; host: string },
  endpoints: HealthEndpoints,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return reply(200, { ok: true });
    if (req.url === '/readyz') {
      void readiness(endpoints.ready).then((r) => reply(r.ok ? 200 : 503, r));
      return;
    }
    if (req.url === '/metrics') {
      endpoints.metrics().then(
        (m) => res.writeHead(200, { 'content-type': m.contentType }).end(m.body),
        (e: unknown) => reply(500, { error: coerceError(e).message }),
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
