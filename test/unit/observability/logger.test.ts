/**
 * Logged errors and objects keep no secret, whatever their shape: nested errors as undici and pg
 * build them (options, headers, bodies, queries, causes), secret keys at any depth, the bindings of
 * children and of their children.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { VendorError } from '../../../src/errors.ts';
import { safeError, scrub } from '../../../src/observability/logger.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { closedPort } from '../vendors/pjm/pjm-kit.ts';

const SECRETS = {
  bearer: 'Bearer eyJ-undici-secret-0001',
  cookie: 'pjmauth=AQIC-cookie-secret-0002',
  body: 'pw-in-body-secret-0003',
  pgValue: 'pg-param-secret-0004',
  deep: 'deep-secret-0005',
  binding: 'binding-secret-0006',
  dsn: 'postgres://app:dsn-secret-0007@db/app',
};

/** undici's ResponseError / RequestAbortedError carry the request options, headers and body. */
function undiciLikeError(): Error {
  const inner = Object.assign(new Error('other side closed'), {
    code: 'UND_ERR_SOCKET',
    socket: { localAddress: '127.0.0.1', remotePort: 443 },
    options: { headers: { Cookie: SECRETS.cookie, Authorization: SECRETS.bearer } },
  });
  return Object.assign(new Error('Response Error', { cause: inner }), {
    name: 'ResponseError',
    code: 'UND_ERR_RESPONSE',
    statusCode: 500,
    headers: { 'set-cookie': SECRETS.cookie },
    body: { password: SECRETS.body },
  });
}

/** pg's DatabaseError: detail repeats the values, and a failed query keeps its parameters. */
function pgLikeError(): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint "secrets_pkey"'), {
    name: 'DatabaseError',
    code: '23505',
    severity: 'ERROR',
    detail: `Key (value)=(${SECRETS.pgValue}) already exists.`,
    query: 'INSERT INTO secrets VALUES ($1)',
    parameters: [SECRETS.pgValue],
    client: { connectionParameters: { connectionString: SECRETS.dsn } },
  });
}

describe('logger', () => {
  it('logs nested undici and pg error shapes and deep secret keys without any secret', async () => {
    const { log, text, lines } = captureLogger();
    let real: unknown;
    try {
      await request(`http://127.0.0.1:${await closedPort()}/`, {
        headers: { authorization: SECRETS.bearer },
      });
    } catch (e) {
      real = e;
    }
    const vendor = new VendorError({
      vendor: 'pjm',
      kind: 'transient',
      message: 'PJM userSearch: could not connect (ECONNREFUSED)',
      cause: undiciLikeError(),
    });
    log.error({ err: undiciLikeError() }, 'undici failure');
    log.error(pgLikeError(), 'pg failure');
    log.warn({ job: { attempt: { error: vendor, last: real } } }, 'nested errors');
    log.info({ a: { b: { c: { d: { e: { f: { Password: SECRETS.deep, kept: 'visible' } } } } } } }, 'deep');
    log.child({ db: { databaseUrl: SECRETS.dsn }, token: SECRETS.binding }).info('child bindings');
    log
      .child({ component: 'worker' })
      .child({ job: { secret: SECRETS.binding } })
      .info('grandchild bindings');
    log.info(
      { payload: { headers: { AUTHORIZATION: SECRETS.bearer }, cert: Buffer.from(SECRETS.body) } },
      'bytes',
    );

    const out = text();
    expect(lines).toHaveLength(7);
    for (const secret of Object.values(SECRETS)) expect(out).not.toContain(secret);
    expect(out).not.toContain('eyJ-undici');
    expect(out).toContain('"kept":"visible"');

    const undici = JSON.parse(lines[0] ?? '{}').err;
    expect(Object.keys(undici).sort()).toEqual(['code', 'message', 'name', 'stack']);
    expect(undici).toMatchObject({
      name: 'ResponseError',
      code: 'UND_ERR_RESPONSE',
      message: 'Response Error',
    });
    const pg = JSON.parse(lines[1] ?? '{}').err;
    expect(pg).toMatchObject({ name: 'DatabaseError', code: '23505' });
    expect(Object.keys(pg).sort()).toEqual(['code', 'message', 'name', 'stack']);
    const nested = JSON.parse(lines[2] ?? '{}').job.attempt;
    expect(nested.error).toMatchObject({ name: 'VendorError', code: 'vendor_transient', kind: 'transient' });
    expect(Object.keys(nested.error).sort()).toEqual(['code', 'kind', 'message', 'name', 'stack']);
    expect(nested.last).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('safeError keeps only name, message, code, kind and stack; scrub redacts keys in any case', () => {
    const e = Object.assign(new Error('x'), { code: 'E1', kind: 'auth', request: { body: 'b' } });
    expect(Object.keys(safeError(e)).sort()).toEqual(['code', 'kind', 'message', 'name', 'stack']);
    expect(scrub({ list: [{ Client_Secret: 's' }], AuthToken: 't', ok: 1 })).toEqual({
      list: [{ Client_Secret: '[redacted]' }],
      AuthToken: '[redacted]',
      ok: 1,
    });
  });
});
