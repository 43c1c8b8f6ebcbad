/** PAM360 normal users' initial passwords (PAM360_USER_PASSWORDS): pure functions, no network. */
import { describe, expect, it } from 'vitest';
import { pam360SettingsSchema } from '../../../../src/config/schema.ts';
import { ValidationError } from '../../../../src/errors.ts';
import { describePam360Payload } from '../../../../src/vendors/pam360/pam360-describe.ts';
import { pam360FormFields, parsePam360Form } from '../../../../src/vendors/pam360/pam360-form.ts';
import { pam360Passwords } from '../../../../src/vendors/pam360/pam360-passwords.ts';
import type { FormValues } from '../../../../src/vendors/provisioner.ts';
import { payload } from './pam360-fixtures.ts';

const today = new Date('2026-11-24T09:00:00Z');
const settingsFor = (userPasswords?: 'generate' | 'typed') =>
  pam360SettingsSchema.parse(userPasswords ? { userPasswords } : {});
const normal: FormValues = {
  userType: 'normal',
  FIRSTNAME: 'Jane',
  LASTNAME: 'Smith',
  USERNAME: 'jsmith',
  EMAIL: 'jane.smith@example.com',
};
const api: FormValues = { ...normal, userType: 'api' };

function errorsFor(values: FormValues, mode: 'generate' | 'typed'): Readonly<Record<string, string>> {
  try {
    parsePam360Form(values, settingsFor(mode), today);
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('PAM360 initial passwords, generate (the default)', () => {
  it('no password field; a normal user is stored with no password, and the approver is told it is generated', () => {
    const settings = settingsFor();
    expect(settings.userPasswords).toBe('generate');
    expect(pam360FormFields(settings).map((f) => f.id)).not.toContain('PASSWORD');
    const stored = parsePam360Form(normal, settings, today);
    expect(stored.passwords).toBe('generated');
    expect(stored.operation.Details).not.toHaveProperty('PASSWORD');
    expect(describePam360Payload(stored).lines).toContainEqual({
      label: 'Password',
      value: 'generated, sent to the requester privately',
    });
  });

  it('the create call gets the password back, and the stored record of it is dropped', () => {
    const pw = pam360Passwords('generate');
    const stored = parsePam360Form(normal, settingsFor(), today);
    expect(pw.split(stored)).toEqual({ payload: stored, passwords: {} });
    expect(pw.users(stored)).toEqual(['jsmith']);
    const sent = pw.join(stored, { jsmith: 'Gen3rated!pw' });
    expect(sent).toEqual({
      operation: { Details: { ...stored.operation.Details, PASSWORD: 'Gen3rated!pw' } },
    });
  });

  it('an API user gets no password: it signs in with the AUTHTOKEN the create call returns', () => {
    const pw = pam360Passwords('generate');
    const stored = parsePam360Form(api, settingsFor(), today);
    expect(stored).not.toHaveProperty('passwords');
    expect(pw.users(stored)).toEqual([]);
    expect(pw.join(stored, {})).toEqual(stored);
    const lines = describePam360Payload(stored).lines;
    expect(lines.map((l) => l.label)).not.toContain('Password');
    expect(lines.at(-1)?.label).toBe('AUTHTOKEN');
  });
});

describe('PAM360 initial passwords, typed', () => {
  it('a masked field; the password is split off the stored payload and joined back for the call', () => {
    const settings = settingsFor('typed');
    expect(pam360FormFields(settings).find((f) => f.id === 'PASSWORD')).toMatchObject({ secret: true });
    const pw = pam360Passwords('typed');
    const split = pw.split(parsePam360Form({ ...normal, PASSWORD: 'Typed@123x' }, settings, today));
    expect(split.passwords).toEqual({ jsmith: 'Typed@123x' });
    expect(JSON.stringify(split.payload)).not.toContain('Typed@123x');
    expect(describePam360Payload(split.payload).lines).toContainEqual({
      label: 'Password',
      value: '',
      secret: true,
    });
    expect(pw.join(split.payload, split.passwords)).toMatchObject({
      operation: { Details: { USERNAME: 'jsmith', PASSWORD: 'Typed@123x' } },
    });
  });

  it('required for a normal user, refused for an API user, each where it was typed', () => {
    expect(errorsFor(normal, 'typed')).toEqual({
      PASSWORD: 'An initial password is required for a normal user.',
    });
    expect(errorsFor({ ...api, PASSWORD: 'Typed@123x' }, 'typed')).toEqual({
      PASSWORD: 'Only for normal users: API users sign in with their AUTHTOKEN.',
    });
  });

  it('a payload stored before passwords were held apart carries its own and needs nothing back', () => {
    const pw = pam360Passwords('typed');
    const legacy = payload({ PASSWORD: 'Legacy@123', ISAPIUSER: false });
    expect(pw.users(legacy)).toEqual([]);
    expect(pw.join(legacy, {})).toEqual(legacy);
  });
});
