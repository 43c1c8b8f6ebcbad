/** Gateway error parsing in all three forms, and WSO2's nextAccessTime. */
import { describe, expect, it } from 'vitest';
import {
  apiFailure,
  parseGatewayError,
  parseNextAccessTime,
} from '../../../../src/vendors/certification/certification-errors.ts';
import type { VendorHttpResponse } from '../../../../src/vendors/http.ts';

const res = (status: number, body: string, headers: Record<string, string> = {}): VendorHttpResponse => ({
  status,
  headers,
  contentType: headers['content-type'] ?? '',
  body,
});

describe('certification gateway errors', () => {
  it('parses flat JSON with a string code, the fault wrapper with a numeric code, and XML', () => {
    const expected = { code: '900902', message: 'Missing Credentials', description: 'd & e' };
    expect(parseGatewayError(res(401, JSON.stringify(expected)))).toMatchObject(expected);
    expect(
      parseGatewayError(
        res(401, '{"fault":{"code":900902,"message":"Missing Credentials","description":"d & e"}}'),
      ),
    ).toMatchObject(expected);
    const xml =
      '<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900902</ams:code>' +
      '<ams:message>Missing Credentials</ams:message><ams:description>d &amp; e</ams:description></ams:fault>';
    expect(parseGatewayError(res(401, xml))).toMatchObject(expected);
  });

  it('is null for anything else', () => {
    expect(parseGatewayError(res(502, '<html>Bad Gateway</html>'))).toBeNull();
    expect(parseGatewayError(res(400, '{"message":"nope"}'))).toBeNull();
  });

  it('reads nextAccessTime in WSO2 format, with or without offset, and ISO 8601', () => {
    expect(parseNextAccessTime('2025-Jun-26 04:00:00+0000 UTC')?.toISOString()).toBe(
      '2025-06-26T04:00:00.000Z',
    );
    expect(parseNextAccessTime('2025-Jun-26 04:00:00+0200')?.toISOString()).toBe('2025-06-26T02:00:00.000Z');
    expect(parseNextAccessTime('2025-jun-26 04:00:00 UTC')?.toISOString()).toBe('2025-06-26T04:00:00.000Z');
    expect(parseNextAccessTime('2025-06-26T04:00:00Z')?.toISOString()).toBe('2025-06-26T04:00:00.000Z');
    expect(parseNextAccessTime('2025-Foo-26 04:00:00+0000 UTC')).toBeNull();
    expect(parseNextAccessTime('soon')).toBeNull();
  });

  it('a 9008xx code means throttle even without 429; a bad nextAccessTime falls back to Retry-After', () => {
    const body = JSON.stringify({
      code: 900804,
      message: 'Subscription level throttled out',
      nextAccessTime: 'x',
    });
    const e = apiFailure(
      'create users',
      res(503, body, { 'retry-after': '12' }),
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(e).toMatchObject({
      kind: 'throttle',
      retryAfterMs: 12_000,
      vendorMessages: ['Subscription level throttled out'],
    });
  });

  it('a nextAccessTime in the past means retry now', () => {
    const body = JSON.stringify({
      code: '900800',
      message: 'Message throttled out',
      nextAccessTime: '2025-Jun-26 04:00:00+0000 UTC',
    });
    expect(apiFailure('create users', res(429, body), new Date('2026-01-01T00:00:00Z')).retryAfterMs).toBe(0);
  });
});
