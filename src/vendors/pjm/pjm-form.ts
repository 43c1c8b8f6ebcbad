/**
 * The PJM modal: fields from settings, PJM's own validation rules (vendor-apis.md §1.3), and the
 * registration as stored JSON.
 */
import { z } from 'zod';
import type { PjmSettings } from '../../config/schema.ts';
import type { Json } from '../../domain/request.ts';
import { ValidationError } from '../../errors.ts';
import { checkIdentifier } from '../identifier.ts';
import type { FormField, FormValues } from '../provisioner.ts';
import { PJM_EMPLOYED_AS, type PjmRegistration } from './pjm-schemas.ts';

const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

export function pjmFormFields(settings: PjmSettings): FormField[] {
  return [
    {
      kind: 'text',
      id: 'username',
      label: 'PJM username',
      hint: 'At least 6 characters, starting with a letter or digit; unique across all PJM companies.',
      maxLength: 100,
    },
    { kind: 'text', id: 'firstName', label: 'First name', maxLength: 100 },
    { kind: 'text', id: 'lastName', label: 'Last name', maxLength: 100 },
    { kind: 'text', id: 'jobTitle', label: 'Job title', optional: true, maxLength: 100 },
    { kind: 'text', id: 'phone', label: 'Phone', optional: true, placeholder: '555-555-5555', maxLength: 40 },
    {
      kind: 'email',
      id: 'email',
      label: 'E-mail',
      hint: 'Must be allow-listed for the employer’s PJM account.',
    },
    // An empty select breaks a Slack modal, so without configured options these are free text.
    settings.employers.length > 0
      ? {
          kind: 'select',
          id: 'employer',
          label: 'Employer (PJM account)',
          options: options(settings.employers),
        }
      : {
          kind: 'text',
          id: 'employer',
          label: 'Employer (PJM account shortname)',
          placeholder: 'ACCT',
          maxLength: 50,
        },
    { kind: 'select', id: 'employedAs', label: 'Employed as', options: options(PJM_EMPLOYED_AS) },
    settings.accountAccess.length > 0
      ? {
          kind: 'multiselect',
          id: 'accountAccess',
          label: 'Account access',
          options: options(settings.accountAccess),
          optional: true,
          hint: 'Each access is approved separately by your Company Account Manager.',
        }
      : {
          kind: 'text',
          id: 'accountAccess',
          label: 'Account access',
          optional: true,
          multiline: true,
          hint: 'Access names as shown in Account Manager, separated by commas.',
        },
  ];
}

const PHONE = /^\+?[0-9().\-\s]+(\s*(x|ext\.?)\s*[0-9]+)?$/i;
const isEmail = (v: string) => z.email().safeParse(v).success;

/** Modal values → the registration payload; one message per bad field, keyed by field id. */
export function parsePjmForm(settings: PjmSettings, values: FormValues): PjmRegistration {
  const text = (id: string): string => {
    const v = values[id];
    return typeof v === 'string' ? v.trim() : '';
  };
  const list = (id: string): string[] => {
    const v = values[id];
    if (v == null) return [];
    const items = typeof v === 'string' ? v.split(',') : [...v];
    return [...new Set(items.map((s) => s.trim()).filter(Boolean))];
  };
  const errors: Record<string, string> = {};
  const typed = checkIdentifier(text('username'), 'The username');
  const username = typed.ok ? typed.value : '';
  if (!typed.ok) errors.username = typed.message;
  else if (!username) errors.username = 'Enter a username.';
  else if (/\s/.test(username)) errors.username = 'A PJM username cannot contain spaces.';
  else if (username.length < 6) errors.username = 'A PJM username needs at least 6 characters.';
  else if (!/^[A-Za-z0-9]/.test(username))
    errors.username = 'A PJM username must start with a letter or a digit.';
  const firstName = text('firstName');
  if (!firstName) errors.firstName = 'Enter the first name.';
  const lastName = text('lastName');
  if (!lastName) errors.lastName = 'Enter the last name.';
  const phone = text('phone');
  if (phone && (!PHONE.test(phone) || phone.replace(/\D/g, '').length < 7)) {
    errors.phone = 'Enter a phone number such as 555-555-5555.';
  }
  const email = text('email');
  if (!isEmail(email)) errors.email = 'Enter a valid e-mail address, such as jsmith@example.com.';
  const employer = text('employer');
  if (!employer) errors.employer = 'Choose the employer’s PJM account.';
  else if (settings.employers.length > 0 && !settings.employers.includes(employer)) {
    errors.employer = `Choose one of: ${settings.employers.join(', ')}.`;
  }
  const employedAs = PJM_EMPLOYED_AS.find((v) => v === text('employedAs'));
  if (!employedAs) errors.employedAs = `Choose one of: ${PJM_EMPLOYED_AS.join(', ')}.`;
  const accountAccess = list('accountAccess');
  const unknown = accountAccess.filter(
    (a) => settings.accountAccess.length > 0 && !settings.accountAccess.includes(a),
  );
  if (unknown.length > 0) errors.accountAccess = `Not offered here: ${unknown.join(', ')}.`;
  if (Object.keys(errors).length > 0 || !employedAs) throw new ValidationError(errors);
  const jobTitle = text('jobTitle');
  return {
    username,
    firstName,
    lastName,
    ...(jobTitle ? { jobTitle } : {}),
    ...(phone ? { phone } : {}),
    employer,
    employedAs,
    email,
    ...(accountAccess.length > 0 ? { accountAccess } : {}),
  };
}

/** The registration as stored JSON (the exact body sent to PJM). */
export function pjmPayloadToJson(r: PjmRegistration): Json {
  const json: { [key: string]: Json } = {
    username: r.username,
    firstName: r.firstName,
    lastName: r.lastName,
    employer: r.employer,
    employedAs: r.employedAs,
    email: r.email,
  };
  if (r.jobTitle) json.jobTitle = r.jobTitle;
  if (r.phone) json.phone = r.phone;
  if (r.accountAccess) json.accountAccess = [...r.accountAccess];
  return json;
}
