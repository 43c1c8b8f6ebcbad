/**
 * TLS for vendor calls: one secure context per vendor (Node's trusted roots plus the CA file, and
 * the PKCS#12 client certificate), opened once so a wrong passphrase is known before any call, and
 * a connector that marks failures of the connection set-up so a handshake refusal is not mistaken
 * for a network blip. Also the file checks start-up runs on the same inputs.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { buildConnector } from 'undici';

export interface VendorTlsOptions {
  /** PEM bundle trusted in addition to Node's roots (verification is never disabled). */
  ca?: string | Buffer;
  /** PKCS#12 client certificate for mutual TLS. */
  pfx?: Buffer;
  passphrase?: string;
}

/** Errors raised while connecting (TCP connect or TLS handshake), before any request byte left. */
const connectFailures = new WeakSet<object>();

export const isConnectFailure = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && connectFailures.has(e);

/** A problem opening the PKCS#12 with its passphrase, in words, or null when it opens. */
export function pkcs12Problem(
  pfx: Buffer,
  passphrase: string | undefined,
): {
  wrongPassphrase: boolean;
  detail: string;
} | null {
  try {
    createSecureContext({ pfx, passphrase });
    return null;
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'unreadable';
    return { wrongPassphrase: /mac verify failure|bad decrypt/i.test(detail), detail };
  }
}

/** The problem in words naming the setting to change: PJM_CLIENT_CERT_PASSPHRASE or _P12. */
export function pkcs12Message(
  envPrefix: string,
  problem: { wrongPassphrase: boolean; detail: string },
): string {
  return problem.wrongPassphrase
    ? `the PKCS#12 in ${envPrefix}_CLIENT_CERT_P12 does not open with ${envPrefix}_CLIENT_CERT_PASSPHRASE (${problem.detail})`
    : `${envPrefix}_CLIENT_CERT_P12 is not a PKCS#12 file that opens (${problem.detail})`;
}

/** Why a CA file is not a PEM bundle of certificates, or null when every block parses. */
export function caBundleProblem(pem: string): string | null {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return 'is not a PEM certificate (no BEGIN CERTIFICATE block)';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `holds a certificate that does not parse (block ${i + 1})`;
    }
  }
  return null;
}

/**
 * Node's roots plus `ca`: passing `ca` alone to tls would replace the roots, so a proxy CA would
 * stop every public host from verifying.
 */
export function trustedRoots(ca: string | Buffer | undefined): string[] {
  return ca ? [...rootCertificates, ca.toString()] : [...rootCertificates];
}

/** @throws Error from node:tls when the PKCS#12 does not open */
export function vendorSecureContext(opts: VendorTlsOptions): SecureContext {
  return createSecureContext({
    ca: trustedRoots(opts.ca),
    ...(opts.pfx ? { pfx: opts.pfx, passphrase: opts.passphrase } : {}),
  });
}

/**
 * undici's connector over the secure context `open()` makes at the first connection, not at
 * start-up: a context parses every trusted root (~11 ms each) and start-up has already checked
 * the files (setting-files.ts). It remembers which errors happened while connecting.
 */
export function markingConnector(open: () => SecureContext, timeoutMs: number): buildConnector.connector {
  let connect: buildConnector.connector | undefined;
  return (options, callback) => {
    try {
      connect ??= buildConnector({ secureContext: open(), timeout: timeoutMs });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      connectFailures.add(err);
      callback(err, null);
      return;
    }
    connect(options, (err, socket) => {
      if (err) {
        connectFailures.add(err);
        callback(err, null);
      } else callback(null, socket);
    });
  };
}
