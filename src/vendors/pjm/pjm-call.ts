/**
 * Every PJM HTTP call goes through pjmCall (debug log of operation, status and duration — never a
 * header, body or query) and every non-success answer through pjmHttpError.
 */
import type { Clock } from '../../domain/clock.ts';
import { VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import { parseRetryAfter, type VendorHttpRequest, type VendorHttpResponse, vendorHttp } from '../http.ts';
import { pjmXmlErrorSchema } from './pjm-schemas.ts';

export interface PjmDeps {
  log: Logger;
  clock: Clock;
}

export async function pjmCall(
  deps: PjmDeps,
  req: Omit<VendorHttpRequest, 'vendor'>,
): Promise<VendorHttpResponse> {
  const started = deps.clock.now().getTime();
  const elapsed = () => deps.clock.now().getTime() - started;
  try {
    const res = await vendorHttp({ vendor: 'pjm', ...req });
    deps.log.debug(
      { vendor: 'pjm', operation: req.operation, status: res.status, durationMs: elapsed() },
      'pjm call',
    );
    return res;
  } catch (e) {
    const code = e instanceof VendorError ? e.code : 'error';
    deps.log.debug(
      { vendor: 'pjm', operation: req.operation, error: code, durationMs: elapsed() },
      'pjm call failed',
    );
    throw e;
  }
}

/** The same error with requestSent overridden (e.g. a sign-in failure means the create never left). */
export function withRequestSent(e: VendorError, requestSent: boolean): VendorError {
  return new VendorError({
    vendor: e.vendor,
    kind: e.kind,
    message: e.message,
    httpStatus: e.httpStatus,
    vendorMessages: e.vendorMessages,
    requestSent,
    retryAfterMs: e.retryAfterMs,
    cause: e.cause,
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
