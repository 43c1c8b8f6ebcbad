/**
 * The one vendor HTTP path against a real loopback server: the whole-call deadline holds against a
 * trickle, the size cap against a huge body, reads are retried and creates are not, and every call
 * gives one log line and one observer event with the same fields.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rootCertificates } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { VendorError } from '../../../src/errors.ts';
import { type VendorCallEvent, VendorHttp, type VendorHttpOptions } from '../../../src/vendors/http.ts';
import { trustedRoots } from '../../../src/vendors/http-tls.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { testPki } from '../../fakes/tls.ts';

const servers: Server[] = [];
const clients: VendorHttp[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function client(opts: Partial<VendorHttpOptions> = {}) {
  const capture = captureLogger();
  const events: VendorCallEvent[] = [];
  const http = new VendorHttp({
    vendor: 'pam360',
    label: 'PAM360',
    envPrefix: 'PAM360',
    deadlineMs: 5_000,
    maxResponseBytes: 10 * 1024 * 1024,
    log: capture.log,
    onCall: (e) => events.push(e),
    ...opts,
  });
  clients.push(http);
  return { http, capture, events };
}

async function failure(p: Promise<unknown>): Promise<{ error: VendorError; elapsedMs: number }> {
  const started = performance.now();
  try {
    await p;
  } catch (e) {
    if (e instanceof VendorError) return { error: e, elapsedMs: performance.now() - started };
    throw e;
  }
  throw new Error('expected a VendorError');
}

const get = (url: string) => ({ operation: 'get user id', method: 'GET' as const, url });
const text = (res: { body: string }) => res.body;

describe('VendorHttp deadline and size cap', () => {
  it('a 1-byte-per-200-ms trickle ends as a transient VendorError within the deadline + 10 %', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(timer));
    });
    const deadlineMs = 1_500;
    const { http } = client({ deadlineMs });
    const { error, elapsedMs } = await failure(http.call(get(url), text));
    expect(error).toMatchObject({ kind: 'transient', requestSent: true, httpStatus: null });
    expect(error.message).toBe(
      'PAM360 get user id: no complete answer within PAM360_TIMEOUT_MS; the request may have arrived',
    );
    expect(elapsedMs).toBeGreaterThanOrEqual(deadlineMs - 50);
    expect(elapsedMs).toBeLessThanOrEqual(deadlineMs * 1.1);
  });

  it('a 64 MB body ends at the size cap as a VendorError within the deadline + 10 %', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (written < 64) {
          written++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const deadlineMs = 3_000;
    const { http } = client({ deadlineMs });
    const { error, elapsedMs } = await failure(http.call(get(url), text));
    expect(error).toMatchObject({ kind: 'unknown', requestSent: true });
    expect(error.message).toBe(
      'PAM360 get user id: the answer is larger than 10485760 bytes (PAM360_MAX_RESPONSE_BYTES); the request may have arrived',
    );
    expect(elapsedMs).toBeLessThanOrEqual(deadlineMs * 1.1);
    expect(written).toBeLessThan(64);
  });

  it('an answer within the cap is read whole', async () => {
    const url = await serve((_req, res) => res.end('y'.repeat(2048)));
    const { http } = client({ maxResponseBytes: 2048 });
    expect(await http.call(get(url), text)).toHaveLength(2048);
  });
});

describe('VendorHttp retries', () => {
  async function flaky(failures: number) {
    let hits = 0;
    const url = await serve((_req, res) => {
      hits++;
      res.writeHead(hits <= failures ? 503 : 200).end('ok');
    });
    const interpret = (res: { status: number; body: string }) => {
      if (res.status >= 500)
        throw new VendorError({
          vendor: 'pam360',
          kind: 'transient',
          httpStatus: res.status,
          message: '503',
        });
      return res.body;
    };
    return { url, interpret, hits: () => hits };
  }

  it('read() tries a transient failure three times in all; call() once', async () => {
    const twice = await flaky(2);
    const { http } = client();
    expect(await http.read(get(twice.url), twice.interpret)).toBe('ok');
    expect(twice.hits()).toBe(3);

    const always = await flaky(99);
    await failure(http.read(get(always.url), always.interpret));
    expect(always.hits()).toBe(3);

    const once = await flaky(1);
    await failure(http.call({ ...get(once.url), method: 'POST' }, once.interpret));
    expect(once.hits()).toBe(1);
  });

  it('signIn() tries once more after a transport error, never after an answer', async () => {
    const { http } = client();
    const refused = await flaky(99);
    await failure(http.signIn(() => http.call(get(refused.url), refused.interpret)));
    expect(refused.hits()).toBe(1);

    let resets = 0;
    const url = await serve((req) => {
      resets++;
      req.socket.destroy();
    });
    const { error } = await failure(http.signIn(() => http.call(get(url), text)));
    expect(error).toMatchObject({ kind: 'transient', httpStatus: null });
    expect(resets).toBe(2);
  });
});

describe('VendorHttp log line and observer', () => {
  it('one line per call, each field once, the same for success and failure; the observer sees it', async () => {
    const url = await serve((req, res) => res.writeHead(req.url === '/bad' ? 500 : 200).end('{}'));
    const { http, capture, events } = client();
    await http.call(get(url), text);
    await failure(
      http.call(get(`${url}bad`), () => {
        throw new VendorError({ vendor: 'pam360', kind: 'transient', httpStatus: 500, message: 'x' });
      }),
    );
    const lines = capture.lines.filter((l) => l.includes('"vendor call"'));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      for (const field of ['vendor', 'operation', 'httpStatus', 'kind', 'durationMs']) {
        expect(line.split(`"${field}":`).length - 1, `${field} in ${line}`).toBe(1);
      }
    }
    expect(events.map(({ durationMs: _, ...e }) => e)).toEqual([
      { vendor: 'pam360', operation: 'get user id', httpStatus: 200, kind: null },
      { vendor: 'pam360', operation: 'get user id', httpStatus: 500, kind: 'transient' },
    ]);
    expect(lines.map((l) => JSON.parse(l).httpStatus)).toEqual([200, 500]);
  });
});

describe('trusted roots', () => {
  it('a CA file is added to Node’s roots, not put in their place', () => {
    const { caPem } = testPki();
    const roots = trustedRoots(caPem);
    expect(roots).toEqual([...rootCertificates, caPem]);
    expect(trustedRoots(undefined)).toEqual([...rootCertificates]);
  });
});
