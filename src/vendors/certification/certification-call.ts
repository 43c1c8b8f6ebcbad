/** One Certification HTTP call through vendorHttp, logged at debug: operation, status, duration only. */
import { isVendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import { type VendorHttpRequest, type VendorHttpResponse, vendorHttp } from '../http.ts';

export async function certCall(
  log: Logger,
  req: VendorHttpRequest,
  extra: Record<string, number> = {},
): Promise<VendorHttpResponse> {
  const started = performance.now();
  const fields = { vendor: req.vendor, operation: req.operation, ...extra };
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const res = await vendorHttp(req);
    log.debug({ ...fields, httpStatus: res.status, durationMs: durationMs() }, 'certification call');
    return res;
  } catch (e) {
    log.debug(
      {
        ...fields,
        durationMs: durationMs(),
        error: isVendorError(e) ? e.code : 'unexpected',
        requestSent: isVendorError(e) ? e.requestSent : null,
      },
      'certification call failed',
    );
    throw e;
  }
}
