/** The PJM modal: fields from settings, PJM's validation rules per field, and the card description. */
import { describe, expect, it } from 'vitest';
import type { PjmSettings } from '../../../../src/config/schema.ts';
import { pjmSettingsSchema } from '../../../../src/config/schema.ts';
import { ValidationError } from '../../../../src/errors.ts';
import { describePjmPayload } from '../../../../src/vendors/pjm/pjm-describe.ts';
import { parsePjmForm, pjmFormFields } from '../../../../src/vendors/pjm/pjm-form.ts';
import type { FormValues } from '../../../../src/vendors/provisioner.ts';

const settings = (over: Partial<PjmSettings> = {}): PjmSettings =>
  pjmSettingsSchema.parse({
    employers: ['ACCT'],
    accountAccess: ['PJM Public', 'Power Meter Read Only'],
    ...over,
  });

const valid: FormValues = {
  username: ' smithj ',
  firstName: 'John',
  lastName: 'Smith',
  jobTitle: '',
  phone: null,
  email: 'jsmith@fake.com',
  employer: 'ACCT',
  employedAs: 'Employee',
  accountAccess: ['PJM Public'],
};

function fieldErrors(s: PjmSettings, values: FormValues): Record<string, string> {
  try {
    parsePjmForm(s, values);
  } catch (e) {
    if (e instanceof ValidationError) return { ...e.fields };
    throw e;
  }
  return {};
}

describe('PJM form fields', () => {
  it('offers selects from settings and the four employedAs values', () => {
    const fields = pjmFormFields(settings());
    expect(fields.map((f) => `${f.id}:${f.kind}`)).toEqual([
      'username:text',
      'firstName:text',
      'lastName:text',
      'jobTitle:text',
      'phone:text',
      'email:email',
      'employer:select',
      'employedAs:select',
      'accountAccess:multiselect',
    ]);
    const employedAs = fields.find((f) => f.id === 'employedAs');
    expect(employedAs?.kind === 'select' && employedAs.options.map((o) => o.value)).toEqual([
      'Agent',
      'Employee',
      'Contractor',
      'Consultant',
    ]);
  });

  it('falls back to free text when an option list is empty (an empty select breaks a modal)', () => {
    const fields = pjmFormFields(settings({ employers: [], accountAccess: [] }));
    expect(fields.find((f) => f.id === 'employer')?.kind).toBe('text');
    expect(fields.find((f) => f.id === 'accountAccess')?.kind).toBe('text');
  });
});

describe('PJM form validation', () => {
  it('turns valid values into the exact registration body', () => {
    expect(parsePjmForm(settings(), valid)).toEqual({
      username: 'smithj',
      firstName: 'John',
      lastName: 'Smith',
      employer: 'ACCT',
      employedAs: 'Employee',
      email: 'jsmith@fake.com',
      accountAccess: ['PJM Public'],
    });
  });

  it.each([
    ['username', '', 'Enter a username.'],
    ['username', 'smith', 'A PJM username needs at least 6 characters.'],
    ['username', '_smithj', 'A PJM username must start with a letter or a digit.'],
    ['username', 'john smith', 'A PJM username cannot contain spaces.'],
    ['firstName', ' ', 'Enter the first name.'],
    ['lastName', null, 'Enter the last name.'],
    ['phone', 'call me', 'Enter a phone number such as 555-555-5555.'],
    ['phone', '12-34', 'Enter a phone number such as 555-555-5555.'],
    ['email', 'jsmith@', 'Enter a valid e-mail address, such as jsmith@example.com.'],
    ['employer', 'OTHR', 'Choose one of: ACCT.'],
    ['employer', '', 'Choose the employer’s PJM account.'],
    ['employedAs', 'Intern', 'Choose one of: Agent, Employee, Contractor, Consultant.'],
    ['accountAccess', ['PJM Public', 'Power Meter Read/Write'], 'Not offered here: Power Meter Read/Write.'],
  ])('%s = %j → "%s"', (field, value, message) => {
    expect(fieldErrors(settings(), { ...valid, [field]: value })).toEqual({ [field]: message });
  });

  it('reports every bad field at once', () => {
    expect(Object.keys(fieldErrors(settings(), { username: 'ab' })).sort()).toEqual(
      ['email', 'employedAs', 'employer', 'firstName', 'lastName', 'username'].sort(),
    );
  });

  it('accepts free-text employer and comma-separated access when no lists are configured', () => {
    const free = settings({ employers: [], accountAccess: [] });
    const r = parsePjmForm(free, {
      ...valid,
      employer: 'NEWCO',
      phone: '+1 (555) 555-5555 x12',
      jobTitle: 'Engineer',
      accountAccess: 'PJM Public,  Power Meter Read/Write, ,PJM Public',
    });
    expect(r).toMatchObject({
      employer: 'NEWCO',
      phone: '+1 (555) 555-5555 x12',
      jobTitle: 'Engineer',
      accountAccess: ['PJM Public', 'Power Meter Read/Write'],
    });
  });
});

describe('PJM describe', () => {
  it('lists every field of the payload for the approval card', () => {
    const d = describePjmPayload({
      username: 'smithj',
      firstName: 'John',
      lastName: 'Smith',
      employer: 'ACCT',
      employedAs: 'Employee',
      email: 'jsmith@fake.com',
      phone: '555-555-5555',
    });
    expect(d.subject).toBe('smithj (John Smith)');
    expect(d.lines).toContainEqual({ label: 'Phone', value: '555-555-5555' });
    expect(d.lines).toContainEqual({ label: 'Account access', value: 'none requested' });
  });

  it('refuses a payload carrying anything beyond the registration fields, so no secret reaches the card', () => {
    const withSecret = {
      username: 'smithj',
      firstName: 'John',
      lastName: 'Smith',
      employer: 'ACCT',
      employedAs: 'Employee',
      email: 'jsmith@fake.com',
      password: 'Hunter2!secret',
    };
    expect(() => describePjmPayload(withSecret)).toThrow(ValidationError);
    try {
      describePjmPayload(withSecret);
    } catch (e) {
      expect(String(e)).not.toContain('Hunter2!secret');
    }
  });

  it('refuses a payload of another vendor', () => {
    expect(() => describePjmPayload({ operation: { Details: { USERNAME: 'x' } } })).toThrow(ValidationError);
  });
});

describe('PJM username: what the card shows is what is sent', () => {
  it.each([
    ['a zero-width space', 'smith\u200bj', 'U+200B'],
    ['a right-to-left override', 'smithj\u202etxt', 'U+202E'],
    ['a control character', 'smithj\u0007', 'U+0007'],
  ])('refuses %s with a field error naming it', (_what, username, code) => {
    expect(fieldErrors(settings(), { ...valid, username })).toEqual({
      username: expect.stringContaining(`invisible control or formatting character (${code})`),
    });
  });

  it('sends and shows full-width letters as their plain NFKC form', () => {
    const r = parsePjmForm(settings(), { ...valid, username: 'ｓｍｉｔｈｊ' });
    expect(r.username).toBe('smithj');
  });
});
