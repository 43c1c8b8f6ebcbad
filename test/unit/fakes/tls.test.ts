import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../../fakes/tls.ts';

describe('test PKI', () => {
  const pki = testPki();
  let server: https.Server;
  let url: string;
  beforeAll(async () => {
    server = https.createServer(
      {
        key: pki.serverKeyPem,
        cert: pki.serverCertPem,
        ca: pki.caPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(peer.subject?.CN ?? 'none');
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());

  it('lets a client with the PKCS#12 certificate and the CA in (mutual TLS)', async () => {
    const dispatcher = new Agent({
      connect: { ca: pki.caPem, pfx: pki.clientP12, passphrase: pki.clientP12Passphrase },
    });
    const res = await request(url, { dispatcher });
    expect(await res.body.text()).toBe('access-desk-bot');
  });

  it('refuses a client that trusts another CA', async () => {
    const dispatcher = new Agent({
      connect: { ca: pki.otherCaPem, pfx: pki.clientP12, passphrase: pki.clientP12Passphrase },
    });
    await expect(request(url, { dispatcher })).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/),
    });
  });
});
