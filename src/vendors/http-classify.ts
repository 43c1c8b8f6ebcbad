/**
 * A thrown transport error → VendorError that says whether the request may have arrived, and tells
 * TLS failures (auth, naming the setting to change) apart from network failures (transient).
 * Messages carry error codes only, never a header, body or query string.
 */
import { VendorError } from '../errors.ts';
import { isConnectFailure } from './http-tls.ts';

export interface CallContext {
  vendor: string;
  /** How messages name the vendor: 'PJM', 'PAM360', 'Certification'. */
  label: string;
  /** Prefix of the vendor's settings: PJM_CA_FILE, PAM360_CA_FILE, … */
  envPrefix: string;
  operation: string;
  /** The connection offers a PKCS#12 client certificate (PJM's mutual-TLS sign-in). */
  clientCert: boolean;
}

/** Codes meaning the TCP connection never carried our request. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The server's certificate did not verify against the trusted roots. */
const isServerTrustFailure = (code: string) =>
  code.includes('CERT') || code.startsWith('UNABLE_TO_') || code.includes('SELF_SIGNED');

const isTlsCode = (code: string) =>
  code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO';

export function classifyTransportError(ctx: CallContext, e: unknown, timedOut: boolean): VendorError {
  const at = `${ctx.label} ${ctx.operation}`;
  const base = { vendor: ctx.vendor, cause: e };
  const code = errorCode(e);
  if (timedOut) {
    return new VendorError({
      ...base,
      kind: 'transient',
      message: `${at}: no complete answer within ${ctx.envPrefix}_TIMEOUT_MS; the request may have arrived`,
      requestSent: true,
    });
  }
  if (code && isServerTrustFailure(code)) {
    return new VendorError({
      ...base,
      kind: 'auth',
      message: `${at}: TLS handshake failed (${code}): the server's certificate is not trusted; set ${ctx.envPrefix}_CA_FILE to the PEM of the CA that signed it`,
      requestSent: false,
    });
  }
  // A reset or alert while the TLS connection is being set up is the server refusing us: under
  // TLS 1.2 a refused client certificate reads as a plain ECONNRESET here.
  const duringHandshake = isConnectFailure(e) && !(code && NOT_SENT_CODES.has(code));
  if (duringHandshake || (code && isTlsCode(code))) {
    const fix = ctx.clientCert
      ? `the client certificate in ${ctx.envPrefix}_CLIENT_CERT_P12 is missing, expired or not accepted`
      : `check ${ctx.envPrefix}_CA_FILE and whether the server asks for a client certificate`;
    return new VendorError({
      ...base,
      kind: 'auth',
      message: `${at}: TLS handshake refused (${code ?? 'connection closed'}): ${fix}`,
      requestSent: false,
    });
  }
  if (code && NOT_SENT_CODES.has(code)) {
    return new VendorError({
      ...base,
      kind: 'transient',
      message: `${at}: could not connect (${code})`,
      requestSent: false,
    });
  }
  return new VendorError({
    ...base,
    kind: 'transient',
    message: `${at}: connection failed (${code ?? 'unknown'}); the request may have arrived`,
    requestSent: true,
  });
}
