import { afterEach, describe, expect, it } from 'vitest';
import { type HealthServer, startHealthServer } from '../../../src/observability/health.ts';

describe('health server', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  const start = async (ready: Record<string, () => Promise<string | null>>) => {
    server = await startHealthServer(
      { port: 0, host: '127.0.0.1' },
      { ready, metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }) },
    );
    return `http://127.0.0.1:${server.port}`;
  };

  it('answers /readyz 503 with the reason of every check that is not ready', async () => {
    const base = await start({
      store: async () => null,
      migrations: async () => {
        throw new Error('relation "schema_migrations" does not exist');
      },
      slack: async () => 'Socket Mode not connected',
    });
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ok: false,
      checks: {
        store: 'ok',
        migrations: 'relation "schema_migrations" does not exist',
        slack: 'Socket Mode not connected',
      },
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('serves /metrics with its content type, and 404 elsewhere', async () => {
    const base = await start({});
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await res.text()).toBe('up 1\n');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
