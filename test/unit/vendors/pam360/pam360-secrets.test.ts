/**
 * No secret (bot AUTHTOKEN, a rejected token, a new API user's AUTHTOKEN, a PASSWORD, the INPUT_DATA
 * body) may reach a log line or any error text, on success and failure paths alike.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VendorError } from '../../../../src/errors.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import { testPki } from '../../../fakes/tls.ts';
import { payload, usePam360Sim } from './pam360-fixtures.ts';

const kit = usePam360Sim();

const PASSWORD = 'Hunter2-Secret!';
const WRONG_TOKEN = 'C0FFEE00-DEAD-BEEF-0000-SECRETTOKEN1';

/** Every text an error can show: message, userText, String(), and the same down its cause chain. */
function errorTexts(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur instanceof Error; depth++) {
    out.push(cur.message, String(cur));
    if (cur instanceof VendorError) out.push(cur.userText, ...cur.vendorMessages);
    cur = cur.cause;
  }
  return out;
}

describe('PAM360 secrets', () => {
  it('never appear in logs, errors or outcome text', async () => {
    const capture = captureLogger('trace');
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown>) => {
      try {
        return await fn();
      } catch (e) {
        errors.push(e);
        return undefined;
      }
    };
    const normal = payload({ PASSWORD, USERNAME: 'pwuser' });
    const api = payload({ USERNAME: 'apiuser', ISAPIUSER: true, ROLE: 'Administrator' });
    const inputData = new URLSearchParams({ INPUT_DATA: JSON.stringify(normal) }).toString();
    const p = kit.make({}, capture.log);

    // Success paths.
    await p.precheck(normal);
    const normalOutcome = await p.submit(normal);
    const apiOutcome = await p.submit(api);
    if (apiOutcome.kind !== 'done' || !apiOutcome.secret) throw new Error('API user must yield a secret');
    const newToken = apiOutcome.secret.value;
    await attempt(() => kit.make({ authToken: newToken }, capture.log).precheck(api));

    // Failure paths.
    await attempt(() => p.submit(normal));
    await attempt(() => kit.make({ authToken: WRONG_TOKEN }, capture.log).submit(normal));
    kit.sim.fault('createUser', { status5xx: 502 });
    await attempt(() => p.submit(normal));
    kit.sim.fault('createUser', { reset: true });
    await attempt(() => p.submit(normal));
    kit.sim.fault('getUserId', { reset: true }, 3);
    await attempt(() => p.precheck(normal));
    kit.sim.fault('createUser', { timeout: true });
    await attempt(() => kit.make({ timeoutMs: 200 }, capture.log).submit(normal));
    const dir = mkdtempSync(join(tmpdir(), 'pam360-secret-ca-'));
    writeFileSync(join(dir, 'ca.pem'), testPki().otherCaPem);
    await attempt(() => kit.make({ caFile: join(dir, 'ca.pem') }, capture.log).submit(normal));
    kit.sim.setKnobs({ emptyBodyOnUnresolvableHost: true });
    kit.sim.seedToken(kit.sim.botToken, { host: 'gone.invalid', hostResolvable: false });
    await attempt(() => p.submit(normal));

    expect(errors).toHaveLength(7);
    expect(
      capture.lines.some((l) => l.includes('"operation":"create user"') && l.includes('"httpStatus":200')),
    ).toBe(true);
    const secrets = [kit.sim.botToken, WRONG_TOKEN, newToken, PASSWORD, inputData, JSON.stringify(normal)];
    const texts = [
      capture.text(),
      ...errors.flatMap(errorTexts),
      JSON.stringify(normalOutcome),
      JSON.stringify({ ...apiOutcome, secret: undefined }),
    ];
    for (const secret of secrets) {
      for (const text of texts) expect(text).not.toContain(secret);
    }
  });
});
