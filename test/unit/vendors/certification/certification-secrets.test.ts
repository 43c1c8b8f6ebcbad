/** No secret (client secret, API key, user password, access token) in any log line or error text. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVendorError } from '../../../../src/errors.ts';
import { type Harness, payloadOf, startHarness, user } from './cert-harness.ts';

const CLIENT_SECRET = 'cs-TOPSECRET-41f0';
const API_KEY = 'apikey-TOPSECRET-77aa';
const USER_PASSWORD = 'Hidden77$pw';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    tokenFlow: 'password',
    credentials: { clientSecret: CLIENT_SECRET, password: API_KEY },
  });
});
afterEach(async () => {
  await h.close();
});

/** Everything a run left behind that a human could read. */
async function drive(run: () => Promise<unknown>, texts: string[]): Promise<void> {
  try {
    texts.push(JSON.stringify(await run()));
  } catch (e) {
    texts.push(String(e), e instanceof Error ? e.message : '', isVendorError(e) ? e.userText : '');
    if (e instanceof Error && e.cause) texts.push(String(e.cause));
  }
}

describe('certification secrets', () => {
  it('never logs or reports the client secret, API key, user password or access token', async () => {
    const texts: string[] = [];
    const payload = payloadOf(user(1, { password: USER_PASSWORD }));
    const p = h.provisioner({ timeoutMs: 300 });
    await drive(() => p.submit(payload), texts); // success
    await drive(() => p.submit(payload), texts); // duplicate → rejected
    h.sim.revokeTokens();
    await drive(() => p.submit(payloadOf(user(2, { password: USER_PASSWORD }))), texts); // refresh path
    for (const fault of [
      { gatewayCode: '900901' as const },
      { status5xx: 502 },
      { timeout: true, afterProcessing: true },
      { reset: true, afterProcessing: true },
    ]) {
      h.sim.fault('users', fault, 2);
      await drive(() => p.submit(payloadOf(user(3, { password: USER_PASSWORD }))), texts);
    }
    await drive(() => h.provisioner({ clientSecret: `${CLIENT_SECRET}x` }).submit(payload), texts);
    await drive(() => h.provisioner({ password: `${API_KEY}x` }).submit(payload), texts);
    await drive(async () => p.describe(payload), texts);
    await drive(async () => p.parseForm({ userName: 'u', password: USER_PASSWORD }), texts);

    const tokens = h.sim.issuedTokens();
    expect(tokens.length).toBeGreaterThan(2);
    expect(h.lines.length).toBeGreaterThan(10);
    expect(h.lines.some((l) => l.includes('"operation":"create users"') && l.includes('"httpStatus"'))).toBe(
      true,
    );
    const everything = [...h.lines, ...texts].join('\n');
    const basic = Buffer.from(`access-desk-client:${CLIENT_SECRET}`).toString('base64');
    for (const secret of [CLIENT_SECRET, API_KEY, USER_PASSWORD, basic, ...tokens]) {
      expect(everything).not.toContain(secret);
    }
  });
});
