/** Modal fields, per-field validation with the seed's rules, describe() masking, precheck, settings. */
import { describe, expect, it } from 'vitest';
import type { CertSettings } from '../../../../src/config/schema.ts';
import { certSettingsSchema } from '../../../../src/config/schema.ts';
import { ValidationError } from '../../../../src/errors.ts';
import { createCertProvisioner } from '../../../../src/vendors/certification/certification-provisioner.ts';
import type { FormValues, Provisioner } from '../../../../src/vendors/provisioner.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import { FakeClock } from '../../../fakes/fake-clock.ts';
import { payloadOf, user } from './cert-harness.ts';

const base = {
  enabled: true,
  baseUrl: 'http://127.0.0.1:9/api/admin/v1.1.0',
  tokenUrl: 'http://127.0.0.1:9/oauth2/token',
  clientId: 'id',
  clientSecret: 'secret-value',
  scope: 'username:svc',
};

function provisioner(extra: Partial<CertSettings> = {}): Provisioner {
  const settings = certSettingsSchema.parse({
    ...base,
    roles: ['Certification:Reconciler', 'Close:CloseAdmin'],
    departments: ['SALES'],
    locations: ['Americas'],
    // These tests play the typed mode; the generate mode has its own block below.
    userPasswords: 'typed',
    ...extra,
  });
  return createCertProvisioner(settings, { log: captureLogger().log, clock: new FakeClock() });
}

const good: FormValues = {
  userName: 'jane.doe',
  password: 'Secret12!',
  firstName: 'Jane',
  lastName: 'Doe',
  middleName: null,
  displayName: 'Jane Doe',
  email: 'jane.doe@example.com',
  phoneNumber: '555-0100',
  roles: ['Certification:Reconciler'],
  userAccess: ['r2REnabled', 'accessClose'],
  departmentId: 'SALES',
  locationId: 'Americas',
  programAdminRoleId: 'Admin',
  lockedOut: [],
};

function fieldErrors(p: Provisioner, values: FormValues): Record<string, string> {
  try {
    p.parseForm(values);
  } catch (e) {
    if (e instanceof ValidationError) return { ...e.fields };
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('certification form', () => {
  it('offers every seed field, with selects from settings', () => {
    const fields = provisioner().formFields();
    expect(fields.map((f) => f.id)).toEqual([
      'userName',
      'password',
      'firstName',
      'lastName',
      'middleName',
      'displayName',
      'email',
      'phoneNumber',
      'roles',
      'userAccess',
      'departmentId',
      'locationId',
      'programAdminRoleId',
      'lockedOut',
    ]);
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get('password')).toMatchObject({ kind: 'text', secret: true });
    expect(byId.get('roles')).toMatchObject({ kind: 'multiselect' });
    expect(byId.get('departmentId')).toMatchObject({
      kind: 'select',
      options: [{ value: 'SALES', label: 'SALES' }],
    });
    expect(byId.get('userAccess')).toMatchObject({ kind: 'checkboxes' });
  });

  it('uses free text instead of an empty select', () => {
    const fields = provisioner({ roles: [], departments: [], locations: [] }).formFields();
    for (const id of ['roles', 'departmentId', 'locationId']) {
      expect(fields.find((f) => f.id === id)?.kind).toBe('text');
    }
  });

  it('parses valid values into { users: [one wire user] }', () => {
    expect(provisioner().parseForm(good)).toEqual({
      users: [
        {
          userName: 'jane.doe',
          password: 'Secret12!',
          name: { firstName: 'Jane', lastName: 'Doe', displayName: 'Jane Doe' },
          email: 'jane.doe@example.com',
          phoneNumber: '555-0100',
          roles: [{ type: 'Certification', value: 'Reconciler' }],
          userAccess: {
            r2RAdmin: false,
            r2REnabled: true,
            accessClose: true,
            r2RReadOnly: false,
            accessCompliance: false,
          },
          departmentId: 'SALES',
          locationId: 'Americas',
          programAdminRoleId: 'Admin',
          lockedOut: false,
        },
      ],
      passwords: 'typed',
    });
  });

  it('parses free-text roles "Type:Value, …" and the locked-out checkbox', () => {
    const p = provisioner({ roles: [] });
    const payload = p.parseForm({
      ...good,
      roles: 'Close:CloseAdmin, JournalEntry:Preparer',
      lockedOut: ['lockedOut'],
    });
    expect(payload).toMatchObject({
      users: [
        {
          roles: [
            { type: 'Close', value: 'CloseAdmin' },
            { type: 'JournalEntry', value: 'Preparer' },
          ],
          lockedOut: true,
        },
      ],
    });
  });

  const USER_NAME_RULE =
    '2–60 characters: letters, digits and . _ # @ -; no leading, trailing or double dot.';
  const PASSWORD_RULE =
    '8–255 characters, only letters, digits and @ $ ! % * # ? &; at least one letter, one digit and one of @ $ ! % * # ? &.';
  it.each([
    ['userName', 'a', USER_NAME_RULE],
    ['userName', '.jane', USER_NAME_RULE],
    ['userName', 'jane.', USER_NAME_RULE],
    ['userName', 'ja..ne', USER_NAME_RULE],
    ['userName', 'jane doe', USER_NAME_RULE],
    ['userName', 'x'.repeat(61), USER_NAME_RULE],
    ['password', 'Short1!', PASSWORD_RULE],
    ['password', 'NoDigits!!', PASSWORD_RULE],
    ['password', 'NoSpecial12', PASSWORD_RULE],
    ['password', 'Bad-char12!', PASSWORD_RULE],
    ['password', `A1!${'a'.repeat(253)}`, PASSWORD_RULE],
    ['firstName', null, 'Required.'],
    ['lastName', '  ', 'Required.'],
    ['email', null, 'Required.'],
    ['email', 'jane@example.c', expect.stringContaining('An e-mail address of at most 128 characters')],
    ['email', 'jane@ex+ample.com', expect.stringContaining('no + after the @')],
    ['email', `${'j'.repeat(120)}@example.com`, expect.stringContaining('at most 128')],
    ['phoneNumber', '1'.repeat(21), 'At most 20 characters.'],
    ['programAdminRoleId', 'x'.repeat(16), 'At most 15 characters.'],
    ['departmentId', 'HR', 'Choose a value from the list.'],
    ['locationId', 'Mars', 'Choose a value from the list.'],
    ['roles', ['Close:Nope'], 'Choose roles from the list.'],
  ])('%s = %j → one message under that field', (id, value, message) => {
    expect(fieldErrors(provisioner(), { ...good, [id]: value })).toEqual({ [id]: message });
  });

  it('free-text codes and roles are checked by length and shape', () => {
    const p = provisioner({ roles: [], departments: [], locations: [] });
    expect(fieldErrors(p, { ...good, roles: 'Reconciler', departmentId: 'D'.repeat(16) })).toEqual({
      roles: 'Each role as Type:Value, such as Certification:Reconciler, separated by commas.',
      departmentId: 'At most 15 characters.',
    });
  });

  it('accepts the seed’s own sample values', () => {
    const p = provisioner({ roles: [], departments: [], locations: [] });
    expect(() =>
      p.parseForm({
        ...good,
        userName: 'a#b@c-d_e.f',
        password: 'Password123!',
        email: 'testuser1@localhost.local',
      }),
    ).not.toThrow();
  });
});

describe('certification initial passwords (CERT_USER_PASSWORDS)', () => {
  const { password: _typed, ...noPassword } = good;

  it('generate (the default): no password field, the approver is told it is generated', () => {
    const p = provisioner({ userPasswords: 'generate' });
    expect(p.formFields().map((f) => f.id)).not.toContain('password');
    expect(certSettingsSchema.parse(base).userPasswords).toBe('generate');
    const payload = p.parseForm(noPassword);
    expect(payload).toMatchObject({ passwords: 'generated', users: [{ userName: 'jane.doe' }] });
    expect(JSON.stringify(payload)).not.toContain('"password"');
    expect(p.describe(payload).lines).toContainEqual({
      label: 'Password',
      value: 'generated, sent to the requester privately',
    });
  });

  it('typed: the password is split off the stored payload and joined back for the create call', () => {
    const p = provisioner();
    const split = p.passwords!.split(p.parseForm(good));
    expect(split.passwords).toEqual({ 'jane.doe': 'Secret12!' });
    expect(JSON.stringify(split.payload)).not.toContain('Secret12!');
    expect(p.passwords!.users(split.payload)).toEqual(['jane.doe']);
    const joined = p.passwords!.join(split.payload, split.passwords);
    expect(joined).toMatchObject({ users: [{ userName: 'jane.doe', password: 'Secret12!' }] });
    expect(joined).not.toHaveProperty('passwords');
  });

  it('a payload stored with inline passwords (before they were held apart) needs nothing put back', () => {
    const p = provisioner();
    const legacy = payloadOf(user(1));
    expect(p.passwords!.users(legacy)).toEqual([]);
    expect(p.passwords!.join(legacy, {})).toEqual(legacy);
  });
});

describe('certification describe and precheck', () => {
  it('one user: subject "userName (display name)", every field, password masked', () => {
    const p = provisioner();
    const d = p.describe(p.parseForm(good));
    expect(d.subject).toBe('jane.doe (Jane Doe)');
    expect(d.lines).toContainEqual({ label: 'Password', value: '', secret: true });
    expect(d.lines).toContainEqual({ label: 'Access', value: 'R2R enabled, Close access' });
    expect(d.lines).toContainEqual({ label: 'Roles', value: 'Certification:Reconciler' });
    expect(JSON.stringify(d)).not.toContain('Secret12!');
  });

  it('many users: subject "3 users", every row in full, passwords only flagged', () => {
    const d = provisioner().describe(payloadOf(user(1), user(2), user(3)));
    expect(d.subject).toBe('3 users');
    expect(d.rows?.map((r) => r.subject)).toEqual(['testuser1', 'testuser2', 'testuser3']);
    expect(d.rows?.[0]?.lines).toContainEqual({ label: 'E-mail', value: 'testuser1@localhost.local' });
    expect(d.rows?.[0]?.lines).toContainEqual({ label: 'Password', value: '', secret: true });
    expect(JSON.stringify(d)).not.toMatch(/Password\d!/);
  });

  it('a batch names every privilege it grants, with its holders', () => {
    const admin = user(2, {
      userAccess: {
        r2RAdmin: true,
        r2REnabled: false,
        accessClose: false,
        r2RReadOnly: false,
        accessCompliance: false,
      },
      programAdminRoleId: 'PA1',
      roles: [{ type: 'Certification', value: 'Approver' }],
    });
    const d = provisioner().describe(payloadOf(user(1), admin, user(3)));
    expect(d.privileges).toEqual([
      { label: 'Access: R2R enabled', holders: ['testuser1', 'testuser3'] },
      { label: 'Access: Close access', holders: ['testuser1', 'testuser3'] },
      { label: 'Access: R2R admin', holders: ['testuser2'] },
      { label: 'Program admin role: PA1', holders: ['testuser2'] },
      { label: 'Role: Certification:Approver', holders: ['testuser2'] },
    ]);
  });

  it('throws ValidationError for a payload that is not Certification’s', () => {
    expect(() => provisioner().describe({ users: [{ userName: 'x' }] })).toThrow(ValidationError);
    expect(() => provisioner().describe({ USERNAME: 'x' })).toThrow(ValidationError);
  });

  it('precheck says unknown: no read endpoint, duplicates are refused per user', async () => {
    const p = provisioner();
    expect(p.createPolicy).toBe('resubmit');
    expect(p.lookup).toBeUndefined();
    const result = await p.precheck(payloadOf(user(1)));
    expect(result.state).toBe('unknown');
    expect(result.notes.join(' ')).toContain('refuses a duplicate user name or e-mail per user');
  });
});

describe('certification identifiers: what the card shows is what is sent', () => {
  it('user name: only the seed’s characters, so a zero-width or bidi character is refused', () => {
    expect(fieldErrors(provisioner(), { ...good, userName: 'jane\u200b.doe' }).userName).toMatch(
      /letters, digits/,
    );
    expect(fieldErrors(provisioner(), { ...good, userName: 'jane.doe\u202e' }).userName).toMatch(
      /letters, digits/,
    );
  });

  it('ids the seed leaves open refuse invisible characters and are sent in NFKC form', () => {
    const p = provisioner();
    expect(fieldErrors(p, { ...good, programAdminRoleId: 'PA\u200b1' }).programAdminRoleId).toContain(
      'without invisible control or formatting characters',
    );
    const payload = p.parseForm({ ...good, programAdminRoleId: 'ＰＡ１' });
    expect(p.describe(payload).lines).toContainEqual({ label: 'Program admin role', value: 'PA1' });
  });
});
