/** PAM360 modal fields, per-field validation and describe() masking (pure functions, no network). */
import { describe, expect, it } from 'vitest';
import { pam360SettingsSchema } from '../../../../src/config/schema.ts';
import { ValidationError } from '../../../../src/errors.ts';
import { describePam360Payload } from '../../../../src/vendors/pam360/pam360-describe.ts';
import { pam360FormFields, parsePam360Form } from '../../../../src/vendors/pam360/pam360-form.ts';
import type { FormValues } from '../../../../src/vendors/provisioner.ts';
import { payload } from './pam360-fixtures.ts';

const settings = pam360SettingsSchema.parse({
  roles: ['Administrator', 'Password User'],
  departments: ['NOC'],
  locations: [],
});
const today = new Date('2026-11-24T09:00:00Z');
const base: FormValues = {
  userType: 'normal',
  FIRSTNAME: 'Jane',
  LASTNAME: 'Smith',
  USERNAME: 'jsmith',
  EMAIL: 'jane.smith@example.com',
};

/** The field errors parseForm throws for these values (fails the test if it does not throw). */
function errorsFor(values: FormValues): Readonly<Record<string, string>> {
  try {
    parsePam360Form(values, settings, today);
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('PAM360 form fields', () => {
  it('offers selects for configured options and free text when a list is empty', () => {
    const fields = pam360FormFields(settings);
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get('userType')).toMatchObject({
      kind: 'select',
      options: [{ label: 'Normal user' }, { label: 'API user' }],
    });
    expect(byId.get('ROLE')).toMatchObject({
      kind: 'select',
      options: [{ value: 'Administrator' }, { value: 'Password User' }],
    });
    expect(byId.get('DEPARTMENT')).toMatchObject({ kind: 'select' });
    expect(byId.get('LOCATION')).toMatchObject({ kind: 'text', optional: true });
    expect(byId.get('EMAIL')).toMatchObject({ kind: 'email' });
    expect(byId.get('ACCESS')).toMatchObject({ kind: 'checkboxes' });
    expect([...byId.keys()]).toEqual([
      'userType',
      'FIRSTNAME',
      'LASTNAME',
      'USERNAME',
      'EMAIL',
      'SECONDARYEMAILID',
      'ROLE',
      'DEPARTMENT',
      'LOCATION',
      'USERGROUPNAME',
      'TOKENVALIDITYDAYS',
      'EXPIRYDATE',
      'HOSTNAME',
      'ACCESS',
    ]);
  });

  it('ROLE becomes free text when no roles are configured', () => {
    const fields = pam360FormFields(pam360SettingsSchema.parse({}));
    expect(fields.find((f) => f.id === 'ROLE')).toMatchObject({ kind: 'text' });
  });
});

describe('PAM360 form validation, one message per field', () => {
  it.each([
    ['FIRSTNAME', 'First name is required.'],
    ['LASTNAME', 'Last name is required.'],
    ['USERNAME', 'Username is required.'],
    ['EMAIL', 'Email is required.'],
  ])('%s is mandatory', (id, message) => {
    expect(errorsFor({ ...base, [id]: '  ' })).toEqual({ [id]: message });
  });

  it('all mandatory fields missing at once give one message each', () => {
    expect(Object.keys(errorsFor({ userType: 'normal' }))).toEqual([
      'FIRSTNAME',
      'LASTNAME',
      'USERNAME',
      'EMAIL',
    ]);
  });

  it('email syntax', () => {
    expect(errorsFor({ ...base, EMAIL: 'jane@' })).toEqual({
      EMAIL: 'Enter an email address like name@example.com.',
    });
    expect(errorsFor({ ...base, SECONDARYEMAILID: 'nope' })).toEqual({
      SECONDARYEMAILID: 'Enter an email address like name@example.com, or leave it empty.',
    });
  });

  it('username without spaces', () => {
    expect(errorsFor({ ...base, USERNAME: 'j smith' })).toEqual({
      USERNAME: 'Username cannot contain spaces.',
    });
  });

  it('user type must be one of the two', () => {
    expect(errorsFor({ ...base, userType: 'robot' })).toEqual({
      userType: 'Choose Normal user or API user.',
    });
  });

  it('selects accept only listed options', () => {
    expect(errorsFor({ ...base, ROLE: 'Janitor', DEPARTMENT: 'Sales' })).toEqual({
      ROLE: 'Choose one of the listed roles.',
      DEPARTMENT: 'Choose one of the listed departments.',
    });
  });

  it.each(['0', '-3', '1.5', 'ten'])('token validity %s is not a positive whole number', (days) => {
    expect(errorsFor({ ...base, userType: 'api', TOKENVALIDITYDAYS: days })).toEqual({
      TOKENVALIDITYDAYS: 'Enter a whole number of days, 1 or more.',
    });
  });

  it.each(['30-10-2027', '2027/10/30', '2027-02-30', '2027-13-01'])(
    'expiry date %s is not yyyy-MM-dd',
    (d) => {
      expect(errorsFor({ ...base, userType: 'api', EXPIRYDATE: d })).toEqual({
        EXPIRYDATE: 'Enter a date as yyyy-MM-dd, e.g. 2026-12-31.',
      });
    },
  );

  it('expiry date before today (injected clock) is refused; today is fine', () => {
    expect(errorsFor({ ...base, userType: 'api', EXPIRYDATE: '2026-11-23' })).toEqual({
      EXPIRYDATE: 'The expiry date is in the past.',
    });
    expect(
      parsePam360Form({ ...base, userType: 'api', EXPIRYDATE: '2026-11-24' }, settings, today),
    ).toMatchObject({
      operation: { Details: { EXPIRYDATE: '2026-11-24' } },
    });
  });

  it('host name characters', () => {
    expect(errorsFor({ ...base, userType: 'api', HOSTNAME: 'bad host!' })).toEqual({
      HOSTNAME: 'Enter a host name or IP address (letters, digits, dots and hyphens).',
    });
  });

  it('API-only fields are refused for a normal user', () => {
    expect(
      errorsFor({
        ...base,
        TOKENVALIDITYDAYS: '5',
        EXPIRYDATE: '2027-01-01',
        HOSTNAME: 'h1',
        ACCESS: ['SDKACCESS'],
      }),
    ).toEqual({
      TOKENVALIDITYDAYS: 'Only for API users: choose API user, or clear this field.',
      EXPIRYDATE: 'Only for API users: choose API user, or clear this field.',
      HOSTNAME: 'Only for API users: choose API user, or clear this field.',
      ACCESS: 'Only for API users: choose API user, or untick these.',
    });
  });

  it('unknown access options are refused', () => {
    expect(errorsFor({ ...base, userType: 'api', ACCESS: ['ISSUPERADMIN'] })).toEqual({
      ACCESS: 'Choose only the listed access options.',
    });
  });
});

describe('PAM360 form → payload', () => {
  it('normal user: trimmed values, ISAPIUSER false, empty optionals left out', () => {
    expect(
      parsePam360Form({ ...base, FIRSTNAME: ' Jane ', ROLE: 'Password User', LOCATION: '' }, settings, today),
    ).toEqual({
      operation: {
        Details: {
          FIRSTNAME: 'Jane',
          LASTNAME: 'Smith',
          USERNAME: 'jsmith',
          EMAIL: 'jane.smith@example.com',
          ROLE: 'Password User',
          ISAPIUSER: false,
        },
      },
      passwords: 'generated',
    });
  });

  it('API user: booleans from the checkboxes, integer days, HOSTCHECK when a host is given', () => {
    const values = {
      ...base,
      userType: 'api',
      LOCATION: 'Level 10',
      USERGROUPNAME: 'Demo',
      TOKENVALIDITYDAYS: '100',
      EXPIRYDATE: '2027-10-30',
      HOSTNAME: 'john-1234',
      ACCESS: ['RESTAPIACCESS', 'OWNERNAMEOPTION'],
    };
    expect(parsePam360Form(values, settings, today).operation.Details).toEqual({
      FIRSTNAME: 'Jane',
      LASTNAME: 'Smith',
      USERNAME: 'jsmith',
      EMAIL: 'jane.smith@example.com',
      LOCATION: 'Level 10',
      USERGROUPNAME: 'Demo',
      ISAPIUSER: true,
      RESTAPIACCESS: true,
      SDKACCESS: false,
      OWNERNAMEOPTION: true,
      TOKENVALIDITYDAYS: 100,
      EXPIRYDATE: '2027-10-30',
      HOSTCHECK: true,
      HOSTNAME: 'john-1234',
    });
  });
});

describe('PAM360 describe()', () => {
  it('names the subject and masks the password', () => {
    const d = describePam360Payload(payload({ PASSWORD: 'Hunter2-Secret!', ROLE: 'Password User' }));
    expect(d.subject).toBe('jsmith (Jane Smith)');
    expect(d.lines).toContainEqual({ label: 'Password', value: '', secret: true });
    expect(d.lines).toContainEqual({ label: 'Role', value: 'Password User' });
    expect(d.lines[0]).toEqual({ label: 'User type', value: 'Normal user' });
    expect(JSON.stringify(d)).not.toContain('Hunter2-Secret!');
  });

  it('API user: says the token goes to the requester privately', () => {
    const d = describePam360Payload(payload({ ISAPIUSER: true, RESTAPIACCESS: true }));
    expect(d.lines).toContainEqual({ label: 'User type', value: 'API user' });
    expect(d.lines).toContainEqual({ label: 'REST API access', value: 'yes' });
    expect(d.lines.at(-1)?.label).toBe('AUTHTOKEN');
  });

  it('refuses a payload that is not PAM360’s', () => {
    expect(() => describePam360Payload({ email: 'x@example.com' })).toThrow(ValidationError);
  });
});

describe('PAM360 username: what the card shows is what is sent', () => {
  it.each([
    ['a zero-width joiner', 'js\u200dmith', 'U+200D'],
    ['a left-to-right mark', 'jsmith\u200e', 'U+200E'],
    ['a control character', 'js\u0000mith', 'U+0000'],
  ])('refuses %s with a field error naming it', (_what, USERNAME, code) => {
    expect(errorsFor({ ...base, USERNAME }).USERNAME).toContain(
      `invisible control or formatting character (${code})`,
    );
  });

  it('sends and shows full-width letters as their plain NFKC form', () => {
    const input = parsePam360Form({ ...base, USERNAME: 'ｊｓｍｉｔｈ' }, settings, today);
    expect(input.operation.Details.USERNAME).toBe('jsmith');
  });
});
