/**
 * PJM's connections (one VendorHttp each for Account Manager and SSO) and the reading of every
 * non-success answer into a VendorError (pjmHttpError).
 */
import type { Clock } from '../../domain/clock.ts';
import { VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import { parseRetryAfter, type VendorCallObserver, VendorHttp, type VendorHttpResponse } from '../http.ts';
import type { PjmConnection } from './pjm-connection.ts';
import { pjmXmlErrorSchema } from './pjm-schemas.ts';

export interface PjmDeps {
  log: Logger;
  clock: Clock;
  onCall?: VendorCallObserver;
}

/** A VendorHttp to PJM; `withClientCert` for the SSO host, which may ask for the PKCS#12. */
export function pjmHttp(conn: PjmConnection, deps: PjmDeps, withClientCert: boolean): VendorHttp {
  return new VendorHttp({
    vendor: 'pjm',
    label: 'PJM',
    envPrefix: 'PJM',
    deadlineMs: conn.timeoutMs,
    maxResponseBytes: conn.maxResponseBytes,
    ca: conn.ca,
    ...(withClientCert && conn.pfx ? { pfx: conn.pfx, passphrase: conn.passphrase } : {}),
    log: deps.log,
    onCall: deps.onCall,
  });
}

const isHtml = (res: VendorHttpResponse) =>
  res.contentType.toLowerCase().includes('text/html') || /^\s*<(!doctype html|html)/i.test(res.body);

/**
 * OpenAM answers a secure call without a live session by its sign-in page (200 text/html), a
 * redirect to it, or 401 — all mean "sign in again" (vendor-apis.md §1.6).
 */
export function isSessionGone(res: VendorHttpResponse): boolean {
  return res.status === 401 || (res.status >= 300 && res.status < 400) || (res.status < 300 && isHtml(res));
}

/** RESTEasy's `<errorResponse><errorType>…</errorType><message>…</message></errorResponse>`. */
export function parseXmlErrorResponse(body: string): { errorType: string; message: string } | null {
  if (!/<errorResponse\b/.test(body)) return null;
  const tag = (name: string) => body.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))?.[1]?.trim();
  const parsed = pjmXmlErrorSchema.safeParse({ errorType: tag('errorType'), message: tag('message') });
  return parsed.success ? parsed.data : null;
}

/** A short plain-text body is the vendor's own words; HTML, XML and long bodies are not shown. */
function plainWords(res: VendorHttpResponse): string[] {
  const text = res.body.trim();
  if (!text || text.length > 500 || text.startsWith('<') || isHtml(res)) return [];
  return [text];
}

/**
 * A non-success answer → VendorError. `requestSent` is true only for answers that do not prove
 * the request was refused before processing (5xx and anything unexpected).
 */
export function pjmHttpError(operation: string, res: VendorHttpResponse, clock: Clock): VendorError {
  const base = { vendor: 'pjm', httpStatus: res.status };
  if (res.status === 429) {
    return new VendorError({
      ...base,
      kind: 'throttle',
      message: `PJM ${operation}: too many requests (PJM allows 600 connections a minute); try again later`,
      retryAfterMs: parseRetryAfter(res.headers['retry-after'], clock.now()),
      requestSent: false,
    });
  }
  if (res.status === 401 || res.status === 403) {
    return new VendorError({
      ...base,
      kind: 'auth',
      message: `PJM ${operation}: access refused (HTTP ${res.status}); the PJM user needs Account Manager API access for this account`,
      vendorMessages: plainWords(res),
      requestSent: false,
    });
  }
  const xml = parseXmlErrorResponse(res.body);
  if (xml) {
    return new VendorError({
      ...base,
      kind: 'unknown',
      message: `PJM ${operation}: server error (HTTP ${res.status}, ${xml.errorType || 'errorResponse'})`,
      vendorMessages: [xml.message],
      requestSent: true,
    });
  }
  if (res.status >= 500) {
    return new VendorError({
      ...base,
      kind: 'transient',
      message: `PJM ${operation}: PJM is unavailable (HTTP ${res.status}); the request may have arrived`,
      requestSent: true,
    });
  }
  return new VendorError({
    ...base,
    kind: 'unknown',
    message: `PJM ${operation}: unexpected answer (HTTP ${res.status}, ${res.contentType || 'no content type'})`,
    vendorMessages: plainWords(res),
    requestSent: true,
  });
}
