/**
 * The PAM360 new-user modal: its fields (options from settings) and the parse of its values into
 * the exact INPUT_DATA payload, with one message per field for Slack's `response_action: errors`.
 */
import { z } from 'zod';
import type { Pam360Settings } from '../../config/schema.ts';
import { ValidationError } from '../../errors.ts';
import { checkIdentifier } from '../identifier.ts';
import type { FormField, FormValues } from '../provisioner.ts';
import { handlingOf } from '../user-passwords.ts';
import { PAM360_DATE, type Pam360Payload, pam360PayloadSchema } from './pam360-schemas.ts';

export const USER_TYPES = [
  { value: 'normal', label: 'Normal user' },
  { value: 'api', label: 'API user' },
] as const;

/** Checkbox group id; each option value is the boolean wire field it sets. */
export const ACCESS_FIELD = 'ACCESS';
export const ACCESS_OPTIONS = [
  { value: 'RESTAPIACCESS', label: 'REST API access' },
  { value: 'SDKACCESS', label: 'SDK access' },
  { value: 'OWNERNAMEOPTION', label: 'May create resources for other users' },
] as const;

const API_ONLY_HINT = 'API users only.';
/** Five digits, as the validity check below allows. */
const MAX_TOKEN_DAYS = 99_999;

/** The policy is an admin's choice in PAM360 (the seed's sample names "Strong"), so PAM360 checks it. */
const PASSWORD_HINT = 'Normal users only. It must meet the password policy set in PAM360.';

/** A select when settings offer options; free text otherwise (an empty select breaks a Slack modal). */
function choice(id: string, label: string, options: readonly string[]): FormField {
  if (options.length === 0) return { kind: 'text', id, label, optional: true };
  return { kind: 'select', id, label, optional: true, options: options.map((o) => ({ value: o, label: o })) };
}

export function pam360FormFields(settings: Pam360Settings): FormField[] {
  return [
    { kind: 'select', id: 'userType', label: 'User type', options: USER_TYPES, initial: 'normal' },
    { kind: 'text', id: 'FIRSTNAME', label: 'First name' },
    { kind: 'text', id: 'LASTNAME', label: 'Last name' },
    { kind: 'text', id: 'USERNAME', label: 'Username', hint: 'Unique in PAM360, no spaces.' },
    { kind: 'email', id: 'EMAIL', label: 'Email' },
    { kind: 'email', id: 'SECONDARYEMAILID', label: 'Secondary email', optional: true },
    // Generated passwords reach the requester privately after the create call; nobody types one.
    ...(settings.userPasswords === 'typed'
      ? [
          {
            kind: 'text',
            id: 'PASSWORD',
            label: 'Initial password',
            optional: true,
            secret: true,
            maxLength: 255,
            hint: PASSWORD_HINT,
          } as const,
        ]
      : []),
    choice('ROLE', 'Role', settings.roles),
    choice('DEPARTMENT', 'Department', settings.departments),
    choice('LOCATION', 'Location', settings.locations),
    { kind: 'text', id: 'USERGROUPNAME', label: 'User group', optional: true },
    {
      kind: 'number',
      id: 'TOKENVALIDITYDAYS',
      label: 'Token validity (days)',
      optional: true,
      min: 1,
      max: MAX_TOKEN_DAYS,
      hint: `${API_ONLY_HINT} A whole number of days.`,
    },
    {
      kind: 'date',
      id: 'EXPIRYDATE',
      label: 'Expiry date',
      optional: true,
      hint: `${API_ONLY_HINT} Leave empty for no expiry.`,
    },
    {
      kind: 'text',
      id: 'HOSTNAME',
      label: 'Allowed host',
      optional: true,
      hint: `${API_ONLY_HINT} The API user may then call PAM360 only from this host.`,
    },
    {
      kind: 'checkboxes',
      id: ACCESS_FIELD,
      label: 'API access',
      options: ACCESS_OPTIONS,
      hint: API_ONLY_HINT,
    },
  ];
}

const emailSchema = z.email();

const str = (v: FormValues[string]): string => (typeof v === 'string' ? v.trim() : '');
const list = (v: FormValues[string]): readonly string[] => (Array.isArray(v) ? v : []);

/** A real calendar date: Date rolls 2025-02-30 over to March, so compare the round trip. */
function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Modal values → INPUT_DATA payload. `today` (from the injected clock) bounds the expiry date.
 * @throws ValidationError keyed by FormField id
 */
export function parsePam360Form(values: FormValues, settings: Pam360Settings, today: Date): Pam360Payload {
  const errors: Record<string, string> = {};
  const userType = str(values.userType) || 'normal';
  if (!USER_TYPES.some((t) => t.value === userType)) errors.userType = 'Choose Normal user or API user.';
  const isApi = userType === 'api';

  const identifier = (id: string, raw: string, what: string) => {
    const checked = checkIdentifier(raw, what);
    if (checked.ok) return checked.value;
    errors[id] = checked.message;
    return '';
  };
  const required = (id: string, what: string) => {
    const v = str(values[id]);
    if (!v) errors[id] = `${what} is required.`;
    return v;
  };
  const FIRSTNAME = required('FIRSTNAME', 'First name');
  const LASTNAME = required('LASTNAME', 'Last name');
  const USERNAME = identifier('USERNAME', required('USERNAME', 'Username'), 'The username');
  if (USERNAME && /\s/.test(USERNAME)) errors.USERNAME = 'Username cannot contain spaces.';
  const EMAIL = required('EMAIL', 'Email');
  if (EMAIL && !emailSchema.safeParse(EMAIL).success)
    errors.EMAIL = 'Enter an email address like name@example.com.';
  const SECONDARYEMAILID = str(values.SECONDARYEMAILID);
  if (SECONDARYEMAILID && !emailSchema.safeParse(SECONDARYEMAILID).success) {
    errors.SECONDARYEMAILID = 'Enter an email address like name@example.com, or leave it empty.';
  }

  const chosen = (id: string, options: readonly string[], what: string) => {
    const v = str(values[id]);
    if (v && options.length > 0 && !options.includes(v)) errors[id] = `Choose one of the listed ${what}.`;
    return v;
  };
  const ROLE = chosen('ROLE', settings.roles, 'roles');
  const DEPARTMENT = chosen('DEPARTMENT', settings.departments, 'departments');
  const LOCATION = chosen('LOCATION', settings.locations, 'locations');
  const USERGROUPNAME = str(values.USERGROUPNAME);

  const apiOnly = (id: string) => {
    const v = str(values[id]);
    if (v && !isApi) errors[id] = 'Only for API users: choose API user, or clear this field.';
    return isApi ? v : '';
  };
  const days = apiOnly('TOKENVALIDITYDAYS');
  if (days && !/^[1-9]\d{0,4}$/.test(days))
    errors.TOKENVALIDITYDAYS = 'Enter a whole number of days, 1 or more.';
  const EXPIRYDATE = apiOnly('EXPIRYDATE');
  if (EXPIRYDATE && !(PAM360_DATE.test(EXPIRYDATE) && isCalendarDate(EXPIRYDATE))) {
    errors.EXPIRYDATE = 'Enter a date as yyyy-MM-dd, e.g. 2026-12-31.';
  } else if (EXPIRYDATE && EXPIRYDATE < today.toISOString().slice(0, 10)) {
    errors.EXPIRYDATE = 'The expiry date is in the past.';
  }
  // A normal user signs in with an initial password; an API user with its AUTHTOKEN (none is sent).
  const typed = settings.userPasswords === 'typed';
  const PASSWORD = typed && typeof values.PASSWORD === 'string' ? values.PASSWORD : '';
  if (PASSWORD && isApi) errors.PASSWORD = 'Only for normal users: API users sign in with their AUTHTOKEN.';
  else if (typed && !isApi && !PASSWORD)
    errors.PASSWORD = 'An initial password is required for a normal user.';
  const HOSTNAME = apiOnly('HOSTNAME');
  if (HOSTNAME && !/^[A-Za-z0-9.-]+$/.test(HOSTNAME)) {
    errors.HOSTNAME = 'Enter a host name or IP address (letters, digits, dots and hyphens).';
  }
  const access = list(values[ACCESS_FIELD]);
  const unknownAccess = access.filter((a) => !ACCESS_OPTIONS.some((o) => o.value === a));
  if (unknownAccess.length > 0) errors[ACCESS_FIELD] = 'Choose only the listed access options.';
  else if (access.length > 0 && !isApi) {
    errors[ACCESS_FIELD] = 'Only for API users: choose API user, or untick these.';
  }

  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const has = (flag: string) => access.includes(flag);
  const details = {
    FIRSTNAME,
    LASTNAME,
    USERNAME,
    EMAIL,
    ...(SECONDARYEMAILID ? { SECONDARYEMAILID } : {}),
    ...(ROLE ? { ROLE } : {}),
    ...(DEPARTMENT ? { DEPARTMENT } : {}),
    ...(LOCATION ? { LOCATION } : {}),
    ...(USERGROUPNAME ? { USERGROUPNAME } : {}),
    ...(isApi
      ? {
          ISAPIUSER: true,
          RESTAPIACCESS: has('RESTAPIACCESS'),
          SDKACCESS: has('SDKACCESS'),
          OWNERNAMEOPTION: has('OWNERNAMEOPTION'),
          ...(days ? { TOKENVALIDITYDAYS: Number(days) } : {}),
          ...(EXPIRYDATE ? { EXPIRYDATE } : {}),
          ...(HOSTNAME ? { HOSTCHECK: true, HOSTNAME } : {}),
        }
      : { ISAPIUSER: false, ...(PASSWORD ? { PASSWORD } : {}) }),
  };
  // The per-field checks above mirror the wire schema; this parse guards the payload itself.
  const parsed = pam360PayloadSchema.safeParse({
    operation: { Details: details },
    ...(isApi ? {} : { passwords: handlingOf(settings.userPasswords) }),
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path.at(-1) ?? 'form')] = issue.message;
    throw new ValidationError(fields);
  }
  return parsed.data;
}
