/** Token and gateway failure modes (reference §3.1–3.3), real client ↔ real simulator. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { done, type Harness, payloadOf, startHarness, user, vendorError } from './cert-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('certification: token', () => {
  it('caches the token and fetches a new one only once the TTL (minus 60 s) has passed', async () => {
    const p = h.provisioner();
    done(await p.submit(payloadOf(user(1))));
    h.clock.advance(3_500_000);
    done(await p.submit(payloadOf(user(2))));
    expect(h.sim.tokenCalls).toBe(1);
    h.clock.advance(41_000);
    done(await p.submit(payloadOf(user(3))));
    expect(h.sim.tokenCalls).toBe(2);
    // the renewed token was fetched before the call: the gateway never refused one
    expect(h.sim.usersRequests).toBe(3);
    expect(h.sim.createCalls).toBe(3);
  });

  it('password grant (BlackLine STS) gets a token and creates the user', async () => {
    h.sim.setKnobs({ tokenFlow: 'password' });
    const outcome = done(await h.provisioner().submit(payloadOf(user(1))));
    expect(outcome.headline).toBe('1 created');
    expect(h.sim.settings().tokenUrl).toMatch(/\/authorize\/connect\/token$/);
  });

  it('invalid_client (401) → auth with the token endpoint’s words; nothing sent', async () => {
    const e = await vendorError(h.provisioner({ clientSecret: 'not-the-secret' }).submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401, requestSent: false });
    expect(e.vendorMessages).toEqual(['invalid_client: Client authentication failed']);
    expect(e.userText).toBe('invalid_client: Client authentication failed');
    expect(e.message).toContain('CERT_CLIENT_SECRET');
    expect(h.sim.usersRequests).toBe(0);
  });

  it('invalid_grant 400 "Authentication failed" (bad API key) → auth', async () => {
    h.sim.setKnobs({ tokenFlow: 'password' });
    const e = await vendorError(h.provisioner({ password: 'Wrong-key-1' }).submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 400, requestSent: false });
    expect(e.userText).toBe('invalid_grant: Authentication failed');
    expect(h.sim.tokenCalls).toBe(1);
  });

  it('invalid_scope (400) → auth', async () => {
    h.sim.setKnobs({ tokenFlow: 'password' });
    const e = await vendorError(h.provisioner({ scope: 'ReportsAPI instance_X' }).submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 400, requestSent: false });
    expect(e.userText).toBe('invalid_scope');
  });

  it('token endpoint 5xx is a refusal, not retried: transient with requestSent false', async () => {
    h.sim.fault('token', { status5xx: 503 }, 1);
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 503, requestSent: false });
    expect(e.userText).toContain('token endpoint unavailable');
    expect(h.sim.tokenCalls).toBe(1);
    expect(h.sim.usersRequests).toBe(0);
  });

  it('token endpoint reset: one more try (sign-in cap), then requestSent false: the batch never left', async () => {
    h.sim.fault('token', { reset: true }, 1);
    done(await h.provisioner().submit(payloadOf(user(1))));
    expect(h.sim.tokenCalls).toBe(2);

    h.sim.reset();
    h.sim.fault('token', { reset: true }, 3);
    const e = await vendorError(h.provisioner().submit(payloadOf(user(2))));
    expect(e).toMatchObject({ kind: 'transient', requestSent: false });
    expect(e.userText).not.toContain('may have arrived');
    expect(h.sim.tokenCalls).toBe(2);
    expect(h.sim.usersRequests).toBe(0);
  });
});

describe('certification: gateway 401 → one token refresh', () => {
  it('401 900901 Invalid Credentials (revoked token): refreshes once, then succeeds', async () => {
    const p = h.provisioner();
    done(await p.submit(payloadOf(user(1))));
    h.sim.revokeTokens();
    const outcome = done(await p.submit(payloadOf(user(2))));
    expect(outcome.headline).toBe('1 created');
    expect(h.sim.tokenCalls).toBe(2);
    expect(h.sim.usersRequests).toBe(3);
    expect(h.sim.createCalls).toBe(2);
  });

  it('401 900901 persistent → auth with the gateway’s words, after exactly one refresh', async () => {
    h.sim.fault('users', { gatewayCode: '900901' }, 2);
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401, requestSent: false });
    expect(e.vendorMessages[0]).toBe('Invalid Credentials');
    expect(e.userText).toContain('Make sure you have provided the correct security credentials');
    expect(h.sim.tokenCalls).toBe(2);
    expect(h.sim.usersRequests).toBe(2);
    expect(h.sim.createCalls).toBe(0);
  });

  it('401 900902 Missing Credentials: one refresh fixes it; persistent → auth', async () => {
    h.sim.fault('users', { gatewayCode: '900902' }, 1);
    done(await h.provisioner().submit(payloadOf(user(1))));
    h.sim.fault('users', { gatewayCode: '900902' }, 2);
    const e = await vendorError(h.provisioner().submit(payloadOf(user(2))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401, requestSent: false });
    expect(e.vendorMessages[0]).toBe('Missing Credentials');
  });

  it('401 900903 Access Token Expired (expiredTokenCode knob): refreshes once, then succeeds', async () => {
    h.sim.setKnobs({ expiredTokenCode: '900903' });
    const p = h.provisioner();
    done(await p.submit(payloadOf(user(1))));
    h.sim.expireTokens();
    done(await p.submit(payloadOf(user(2))));
    expect(h.sim.tokenCalls).toBe(2);
    h.sim.fault('users', { gatewayCode: '900903' }, 2);
    const e = await vendorError(p.submit(payloadOf(user(3))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401 });
    expect(e.vendorMessages[0]).toBe('Access Token Expired');
  });

  it('an expired token answered with 900901 (the default knob) is refreshed the same way', async () => {
    const p = h.provisioner();
    done(await p.submit(payloadOf(user(1))));
    h.sim.expireTokens();
    done(await p.submit(payloadOf(user(2))));
    expect(h.sim.tokenCalls).toBe(2);
  });
});

describe('certification: other gateway refusals', () => {
  it('403 900910 scope not allowed (WSO2 granted the "default" scope) → auth, no refresh', async () => {
    const e = await vendorError(h.provisioner({ scope: 'username:someone-else' }).submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 403, requestSent: false });
    expect(e.userText).toContain('The access token does not allow you to access the requested resource');
    expect(h.sim.tokenCalls).toBe(1);
    expect(h.sim.createCalls).toBe(0);
  });

  it('403 900908 resource forbidden → auth', async () => {
    h.sim.fault('users', { gatewayCode: '900908' });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 403 });
    expect(e.vendorMessages[0]).toBe('Resource forbidden');
  });

  it.each([404, 400] as const)(
    '%i 900906 (wrong base URL) → unknown, naming CERT_BASE_URL',
    async (status) => {
      h.sim.setKnobs({ notFoundStatus: status });
      const p = h.provisioner({ baseUrl: `${h.sim.url}/api/admin/v9` });
      const e = await vendorError(p.submit(payloadOf(user(1))));
      expect(e).toMatchObject({ kind: 'unknown', httpStatus: status, requestSent: false });
      expect(e.message).toContain('CERT_BASE_URL');
      expect(e.userText).toContain('No matching resource found for given API Request');
    },
  );

  it('429 900800 with nextAccessTime → throttle, retryAfterMs from the injected clock', async () => {
    h.sim.setKnobs({ throttle: { limit: 1, windowSeconds: 60 } });
    const p = h.provisioner();
    done(await p.submit(payloadOf(user(1))));
    const e = await vendorError(p.submit(payloadOf(user(2))));
    expect(e).toMatchObject({ kind: 'throttle', httpStatus: 429, requestSent: false, retryAfterMs: 50_000 });
    expect(e.userText).toBe('Message throttled out\nYou have exceeded your quota');
    h.clock.advance(50_000);
    done(await p.submit(payloadOf(user(2))));
  });

  it('429 without nextAccessTime → throttle with retryAfterMs null (the worker backs off)', async () => {
    h.sim.fault('users', { status429: {} });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'throttle', httpStatus: 429, retryAfterMs: null, requestSent: false });
    expect(e.userText).toContain('Message throttled out');
  });

  it('429 with Retry-After and no nextAccessTime → retryAfterMs from the header', async () => {
    h.sim.fault('users', { status429: { retryAfter: '30' } });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'throttle', retryAfterMs: 30_000 });
  });

  it.each(['fault', 'xml'] as const)('%s-formatted gateway errors are parsed alike', async (style) => {
    h.sim.setKnobs({ errorStyle: style });
    const p = h.provisioner();
    h.sim.fault('users', { gatewayCode: '900901' }, 1);
    done(await p.submit(payloadOf(user(1))));
    expect(h.sim.tokenCalls).toBe(2);
    h.sim.fault('users', { gatewayCode: '900910' });
    const e = await vendorError(p.submit(payloadOf(user(2))));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 403 });
    expect(e.vendorMessages[0]).toBe('The access token does not allow you to access the requested resource');
    h.sim.setKnobs({ throttle: { limit: 0, windowSeconds: 60 } });
    const t = await vendorError(p.submit(payloadOf(user(2))));
    expect(t).toMatchObject({ kind: 'throttle', retryAfterMs: 50_000 });
    expect(t.vendorMessages[0]).toBe('Message throttled out');
  });
});
