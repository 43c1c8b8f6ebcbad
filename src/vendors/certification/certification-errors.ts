/**
 * Certification failures → VendorError. The API sits behind a WSO2 gateway whose errors come as flat
 * JSON `{code, message, description}`, the older `{"fault": {…}}` wrapper, or XML `<ams:fault>`
 * (reference §3.3); the token endpoint answers RFC 6749 errors. Messages name settings by their env
 * var and never carry a header, token or body.
 */
import { VendorError } from '../../errors.ts';
import { parseJsonBody, parseRetryAfter, type VendorHttpResponse, withChanges } from '../http.ts';
import {
  type GatewayError,
  gatewayErrorSchema,
  requestErrorSchema,
  tokenErrorSchema,
} from './certification-schemas.ts';

export const CERT_VENDOR = 'cert';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlElement(body: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[\\w-]+:)?${name}>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(body);
  return match?.[1]?.trim().replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e] ?? e);
}

/** The gateway's error in any of its three forms, or null when the body is something else. */
export function parseGatewayError(res: VendorHttpResponse): GatewayError | null {
  const json = parseJsonBody(res.body);
  if (json !== undefined) {
    const parsed = gatewayErrorSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  }
  if (!/<(?:[\w-]+:)?fault[\s>]/.test(res.body)) return null;
  const code = xmlElement(res.body, 'code');
  if (!code) return null;
  return {
    code,
    message: xmlElement(res.body, 'message'),
    description: xmlElement(res.body, 'description'),
    nextAccessTime: xmlElement(res.body, 'nextAccessTime'),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** WSO2's `nextAccessTime`, e.g. "2025-Jun-26 04:00:00+0000 UTC"; also accepts ISO 8601. */
export function parseNextAccessTime(value: string): Date | null {
  const m = /^(\d{4})-([A-Za-z]{3})-(\d{1,2})[ T](\d{2}):(\d{2}):(\d{2})(?:\s*([+-])(\d{2}):?(\d{2}))?/.exec(
    value.trim(),
  );
  if (m) {
    const month = MONTHS.findIndex((name) => name.toLowerCase() === m[2]?.toLowerCase());
    if (month < 0) return null;
    const offsetMinutes = (m[7] === '-' ? -1 : 1) * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0));
    const utc = Date.UTC(Number(m[1]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    return new Date(utc - offsetMinutes * 60_000);
  }
  const iso = Date.parse(value);
  return Number.isNaN(iso) ? null : new Date(iso);
}

function retryAfterMs(res: VendorHttpResponse, gw: GatewayError | null, now: Date): number | null {
  const next = gw?.nextAccessTime ? parseNextAccessTime(gw.nextAccessTime) : null;
  if (next) return Math.max(0, next.getTime() - now.getTime());
  return parseRetryAfter(res.headers['retry-after'], now);
}

const words = (gw: GatewayError): string[] =>
  [gw.message, gw.description].filter((w): w is string => typeof w === 'string' && w.length > 0);

/** A 401 with a 9009xx code: the gateway refused the token (invalid, missing, expired, inactive). */
export function isRejectedToken(res: VendorHttpResponse): boolean {
  if (res.status !== 401) return false;
  const gw = parseGatewayError(res);
  return gw !== null && /^9009\d\d$/.test(gw.code);
}

/** Any non-result answer of a gateway-fronted API call, as a typed error. */
export function apiFailure(operation: string, res: VendorHttpResponse, now: Date): VendorError {
  const gw = parseGatewayError(res);
  const base = { vendor: CERT_VENDOR, httpStatus: res.status };
  const at = `Certification ${operation}: HTTP ${res.status}`;
  if (gw) {
    const code = gw.code;
    const vendorMessages = words(gw);
    if (res.status === 429 || /^9008\d\d$/.test(code)) {
      const wait = retryAfterMs(res, gw, now);
      return new VendorError({
        ...base,
        kind: 'throttle',
        message: `${at} throttled (${code})`,
        vendorMessages,
        retryAfterMs: wait,
      });
    }
    if (code === '900906') {
      return new VendorError({
        ...base,
        kind: 'unknown',
        message: `${at} no matching resource (900906): check CERT_BASE_URL, it must end before /users`,
        vendorMessages,
      });
    }
    if (/^9009\d\d$/.test(code) || res.status === 401 || res.status === 403) {
      return new VendorError({
        ...base,
        kind: 'auth',
        message: `${at} refused by the gateway (${code}): check CERT_CLIENT_ID, CERT_CLIENT_SECRET and CERT_SCOPE`,
        vendorMessages,
      });
    }
    // A coded gateway error was produced before the backend was called.
    return new VendorError({
      ...base,
      kind: res.status >= 500 ? 'transient' : 'unknown',
      message: `${at} gateway error ${code}`,
      vendorMessages,
    });
  }
  if (res.status === 429) {
    return new VendorError({
      ...base,
      kind: 'throttle',
      message: `${at} throttled`,
      retryAfterMs: retryAfterMs(res, null, now),
    });
  }
  if (res.status === 401 || res.status === 403) {
    return new VendorError({ ...base, kind: 'auth', message: `${at} not authorised` });
  }
  if (res.status === 404) {
    return new VendorError({ ...base, kind: 'unknown', message: `${at} not found: check CERT_BASE_URL` });
  }
  const json = parseJsonBody(res.body);
  const refusal = json === undefined ? undefined : requestErrorSchema.safeParse(json);
  const vendorMessages = refusal?.success ? [refusal.data.message] : [];
  if (res.status >= 500) {
    // Behind a gateway, a 5xx may come after the backend got the batch: the outcome is unknown.
    return new VendorError({
      ...base,
      kind: 'transient',
      message: `${at} ${json === undefined ? 'with a non-JSON body' : 'server error'}; the request may have arrived`,
      vendorMessages,
      requestSent: true,
    });
  }
  if (res.status >= 400 && vendorMessages.length > 0) {
    return new VendorError({ ...base, kind: 'validation', message: `${at} request refused`, vendorMessages });
  }
  return new VendorError({
    ...base,
    kind: 'unknown',
    message: `${at} unexpected ${json === undefined ? 'non-JSON ' : ''}answer; the request may have arrived`,
    requestSent: res.status < 400,
  });
}

/** A refusal from the OAuth2 token endpoint. Nothing reached the API, so `requestSent` is false. */
export function tokenFailure(res: VendorHttpResponse): VendorError {
  const base = { vendor: CERT_VENDOR, httpStatus: res.status };
  const at = `Certification token: HTTP ${res.status}`;
  const json = parseJsonBody(res.body);
  const oauth = json === undefined ? undefined : tokenErrorSchema.safeParse(json);
  if (oauth?.success) {
    const { error, error_description: description } = oauth.data;
    return new VendorError({
      ...base,
      kind: res.status >= 500 ? 'transient' : 'auth',
      message: `${at} ${error}: check CERT_CLIENT_ID, CERT_CLIENT_SECRET, CERT_USERNAME, CERT_PASSWORD and CERT_SCOPE`,
      vendorMessages: [description ? `${error}: ${description}` : error],
    });
  }
  if (res.status >= 500 || res.status === 429) {
    return new VendorError({ ...base, kind: 'transient', message: `${at} token endpoint unavailable` });
  }
  if (res.status === 404) {
    return new VendorError({ ...base, kind: 'unknown', message: `${at} not found: check CERT_TOKEN_URL` });
  }
  return new VendorError({
    ...base,
    kind: res.status >= 400 ? 'auth' : 'unknown',
    message: `${at} unexpected answer from the token endpoint: check CERT_TOKEN_URL`,
  });
}

/** The same error with `requestSent` cleared: a failed token call never sent the batch. */
export function notSent(e: VendorError): VendorError {
  if (!e.requestSent) return e;
  return withChanges(e, {
    message: e.message.replace(/; the request may have arrived$/, ''),
    requestSent: false,
  });
}
