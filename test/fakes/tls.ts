/**
 * Certificates made for one test run: a CA, a server certificate for localhost/127.0.0.1 and a
 * client certificate packed as PKCS#12 — what the PAM360 simulator (self-signed HTTPS) and the PJM
 * SSO simulator (mutual TLS) need. Keys come from node:crypto (fast); node-forge signs and packs.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestPki {
  /** PEM of the CA that signed both certificates (what a client should trust). */
  caPem: string;
  serverKeyPem: string;
  serverCertPem: string;
  /** PKCS#12 holding the client key and certificate. */
  clientP12: Buffer;
  clientP12Passphrase: string;
  clientCertPem: string;
  /** A second, unrelated CA: a client trusting only this one must fail verification. */
  otherCaPem: string;
  /** A client certificate signed by the unrelated CA (same passphrase): servers refuse it. */
  untrustedClientP12: Buffer;
}

function keyPair(): {
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privatePem: string;
} {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    privatePem: privateKey,
  };
}

function certificate(opts: {
  subjectCn: string;
  publicKey: forge.pki.PublicKey;
  signingKey: forge.pki.rsa.PrivateKey;
  issuer?: forge.pki.Certificate;
  isCa?: boolean;
  altNames?: { type: number; value?: string; ip?: string }[];
  clientAuth?: boolean;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: opts.subjectCn }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.subject.attributes : subject);
  const extensions: object[] = [];
  if (opts.isCa) {
    extensions.push(
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true },
    );
  } else {
    extensions.push(
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: !opts.clientAuth, clientAuth: !!opts.clientAuth },
    );
    if (opts.altNames) extensions.push({ name: 'subjectAltName', altNames: opts.altNames });
  }
  cert.setExtensions(extensions);
  cert.sign(opts.signingKey, forge.md.sha256.create());
  return cert;
}

let cached: TestPki | undefined;

/** Build (once per process) a CA, a localhost server certificate and a PKCS#12 client certificate. */
export function testPki(): TestPki {
  if (cached) return cached;
  const caKeys = keyPair();
  const ca = certificate({
    subjectCn: 'Access Desk Test CA',
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    isCa: true,
  });
  const serverKeys = keyPair();
  const server = certificate({
    subjectCn: 'localhost',
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    issuer: ca,
    altNames: [
      { type: 2, value: 'localhost' },
      { type: 7, ip: '127.0.0.1' },
    ],
  });
  const clientKeys = keyPair();
  const client = certificate({
    subjectCn: 'access-desk-bot',
    publicKey: clientKeys.publicKey,
    signingKey: caKeys.privateKey,
    issuer: ca,
    clientAuth: true,
  });
  const passphrase = randomBytes(9).toString('base64url');
  const otherKeys = keyPair();
  const other = certificate({
    subjectCn: 'Unrelated CA',
    publicKey: otherKeys.publicKey,
    signingKey: otherKeys.privateKey,
    isCa: true,
  });
  const strangerKeys = keyPair();
  const stranger = certificate({
    subjectCn: 'someone-else',
    publicKey: strangerKeys.publicKey,
    signingKey: otherKeys.privateKey,
    issuer: other,
    clientAuth: true,
  });
  // Only the leaf: Node trusts CA certificates found inside a pfx, which would hide CA mistakes.
  const pack = (key: forge.pki.rsa.PrivateKey, cert: forge.pki.Certificate) =>
    Buffer.from(
      forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' })).getBytes(),
      'binary',
    );

  cached = {
    caPem: forge.pki.certificateToPem(ca),
    serverKeyPem: serverKeys.privatePem,
    serverCertPem: forge.pki.certificateToPem(server),
    clientP12: pack(clientKeys.privateKey, client),
    clientP12Passphrase: passphrase,
    clientCertPem: forge.pki.certificateToPem(client),
    otherCaPem: forge.pki.certificateToPem(other),
    untrustedClientP12: pack(strangerKeys.privateKey, stranger),
  };
  return cached;
}
