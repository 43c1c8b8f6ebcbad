/** PAM360 provisioner happy paths, precheck/lookup, read retries and configuration, real client ↔ sim. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../../../src/errors.ts';
import { createPam360Provisioner } from '../../../../src/vendors/pam360/pam360-provisioner.ts';
import type { Provisioner } from '../../../../src/vendors/provisioner.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import { payload, usePam360Sim, vendorError } from './pam360-fixtures.ts';

const kit = usePam360Sim();

function lookup(p: Provisioner, query: string) {
  if (!p.lookup) throw new Error('PAM360 provisioner must offer lookup');
  return p.lookup(query);
}

const normalForm = {
  userType: 'normal',
  FIRSTNAME: 'Jane',
  LASTNAME: 'Smith',
  USERNAME: 'jsmith',
  EMAIL: 'jane.smith@example.com',
  ROLE: 'Password User',
  DEPARTMENT: 'NOC',
};

describe('PAM360 provisioner: happy paths', () => {
  it('normal user: form → precheck absent → done with USERID and PAM360’s message, no secret', async () => {
    const p = kit.make();
    const body = p.parseForm(normalForm);
    await expect(p.precheck(body)).resolves.toEqual({ state: 'absent', notes: [] });
    const outcome = await p.submit(body);
    expect(outcome).toEqual({
      kind: 'done',
      label: 'Created in PAM360',
      headline: 'USERID 601',
      lines: ['User jsmith has been added successfully.'],
    });
    expect(kit.sim.store.find('jsmith')).toMatchObject({ ROLE: 'Password User', isApiUser: false });
  });

  it('API user: done carries the new AUTHTOKEN only as the secret, and that token authenticates', async () => {
    const p = kit.make();
    const body = p.parseForm({
      ...normalForm,
      userType: 'api',
      ROLE: 'Administrator',
      TOKENVALIDITYDAYS: '100',
      ACCESS: ['RESTAPIACCESS'],
    });
    const outcome = await p.submit(body);
    if (outcome.kind !== 'done') throw new Error(`expected done, got ${outcome.kind}`);
    const token = outcome.secret?.value ?? '';
    expect(outcome.secret?.label).toBe('AUTHTOKEN');
    expect(token).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(outcome.headline).toBe('USERID 601');
    expect(JSON.stringify([outcome.headline, outcome.lines])).not.toContain(token);
    const asNewUser = kit.make({ authToken: token });
    await expect(asNewUser.precheck(body)).resolves.toMatchObject({ state: 'exists' });
  });

  it('the create payload carries every API-user field of the seed as JSON booleans and numbers', async () => {
    const full = payload({
      SECONDARYEMAILID: 'jade@example.com',
      ROLE: 'Administrator',
      ROLEID: 301,
      DEPARTMENT: 'NOC',
      LOCATION: 'Level 10 - South Wing',
      USERGROUPNAME: 'Demo',
      RESTAPIACCESS: true,
      SDKACCESS: true,
      ISAPIUSER: true,
      OWNERNAMEOPTION: false,
      EXPIRYDATE: '2027-10-30',
      TOKENVALIDITYDAYS: 100,
      HOSTCHECK: true,
      HOSTNAME: 'john-1234',
    });
    await expect(kit.make().submit(full)).resolves.toMatchObject({ kind: 'done' });
    const sent = JSON.parse(new URLSearchParams(kit.sim.lastRequest?.body).get('INPUT_DATA') ?? 'null');
    expect(sent).toEqual(full);
    expect(kit.sim.store.tokens.size).toBe(2);
  });

  it('precheck finds an existing user with its USERID', async () => {
    kit.sim.seedUser({ USERNAME: 'jsmith', USERID: '777' });
    await expect(kit.make().precheck(payload())).resolves.toEqual({
      state: 'exists',
      notes: ['jsmith already exists in PAM360 (USERID 777).'],
    });
  });

  it('precheck: a differently worded "not found" still proves absence', async () => {
    kit.sim.setKnobs({ userNotFoundMessage: 'No such user exists' });
    await expect(kit.make().precheck(payload())).resolves.toMatchObject({ state: 'absent' });
  });

  it('precheck: a Failed answer that does not say "not found" is unknown, with PAM360’s words', async () => {
    kit.sim.setKnobs({ userNotFoundMessage: 'Search temporarily unavailable' });
    await expect(kit.make().precheck(payload())).resolves.toEqual({
      state: 'unknown',
      notes: ['PAM360 could not say whether jsmith exists: Search temporarily unavailable'],
    });
  });

  it('lookup returns the one user with USERID, or none', async () => {
    kit.sim.seedUser({ USERNAME: 'jdoe', USERID: '650' });
    const p = kit.make();
    await expect(lookup(p, ' jdoe ')).resolves.toEqual({
      users: [{ title: 'jdoe', lines: [{ label: 'USERID', value: '650' }] }],
    });
    await expect(lookup(p, 'nobody')).resolves.toEqual({ users: [] });
    await expect(lookup(p, 'two words')).rejects.toBeInstanceOf(ValidationError);
  });

  it('lookup: an unexplained Failed answer is kind unknown with PAM360’s words', async () => {
    kit.sim.setKnobs({ userNotFoundMessage: 'Search temporarily unavailable' });
    const e = await vendorError(lookup(kit.make(), 'jdoe'));
    expect(e).toMatchObject({ kind: 'unknown', vendorMessages: ['Search temporarily unavailable'] });
  });

  it('lookup hits the Authentication envelope as kind auth', async () => {
    const e = await vendorError(lookup(kit.make({ authToken: 'REVOKED' }), 'jdoe'));
    expect(e.kind).toBe('auth');
  });
});

describe('PAM360 reads are retried on transient failures (at most 2 extra tries)', () => {
  it('two 5xx answers, then success', async () => {
    kit.sim.fault('getUserId', { status5xx: 503 }, 2);
    await expect(kit.make().precheck(payload())).resolves.toMatchObject({ state: 'absent' });
    expect(kit.sim.calls.getUserId).toBe(3);
  });

  it('three failures: the last transient error is thrown', async () => {
    kit.sim.fault('getUserId', { reset: true }, 3);
    const e = await vendorError(kit.make().precheck(payload()));
    expect(e).toMatchObject({ kind: 'transient', requestSent: true });
    expect(kit.sim.calls.getUserId).toBe(3);
  });

  it('auth failures are not retried', async () => {
    await vendorError(kit.make({ authToken: 'REVOKED' }).precheck(payload()));
    expect(kit.sim.calls.getUserId).toBe(1);
  });
});

describe('PAM360 configuration', () => {
  const settings = () => kit.sim.settings();
  const deps = () => ({ log: captureLogger().log, clock: kit.clock });
  const issuesOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ConfigError) return e.issues.map((i) => i.setting);
      throw e;
    }
    throw new Error('expected ConfigError');
  };

  it('an unreadable or non-PEM CA file is named PAM360_CA_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pam360-ca-'));
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    const brokenPem = join(dir, 'broken.pem');
    writeFileSync(brokenPem, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect(
      issuesOf(() => createPam360Provisioner({ ...settings(), caFile: join(dir, 'absent.pem') }, deps())),
    ).toEqual(['PAM360_CA_FILE']);
    expect(issuesOf(() => createPam360Provisioner({ ...settings(), caFile: notPem }, deps()))).toEqual([
      'PAM360_CA_FILE',
    ]);
    expect(issuesOf(() => createPam360Provisioner({ ...settings(), caFile: brokenPem }, deps()))).toEqual([
      'PAM360_CA_FILE',
    ]);
  });

  it('identifies itself for the registry and the worker', () => {
    const p = kit.make();
    expect([p.id, p.displayName, p.createPolicy]).toEqual(['pam360', 'PAM360', 'precheck']);
  });
});
