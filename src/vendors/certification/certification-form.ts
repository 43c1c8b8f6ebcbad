/**
 * The Certification modal: fields (options from settings) and values → one validated user, with one
 * plain-words message per field id. Selects fall back to free text when their option list is empty,
 * because Slack refuses a select without options.
 */
import type { CertSettings } from '../../config/schema.ts';
import { ValidationError } from '../../errors.ts';
import type { FormField, FormValues } from '../provisioner.ts';
import {
  type CertPayload,
  type CertStoredUser,
  certStoredUserSchema,
  certUserSchema,
  RULES,
  USER_ACCESS_KEYS,
} from './certification-schemas.ts';

type FormSettings = Pick<CertSettings, 'roles' | 'departments' | 'locations' | 'userPasswords'>;

export const USER_ACCESS_LABELS: Record<(typeof USER_ACCESS_KEYS)[number], string> = {
  r2RAdmin: 'R2R admin',
  r2REnabled: 'R2R enabled',
  accessClose: 'Close access',
  r2RReadOnly: 'R2R read-only',
  accessCompliance: 'Compliance access',
};

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

function codeField(id: string, label: string, choices: readonly string[]): FormField {
  return choices.length > 0
    ? { kind: 'select', id, label, options: options(choices), optional: true }
    : { kind: 'text', id, label, optional: true, maxLength: 15, hint: `Certification code, ${RULES.code}.` };
}

export function certFormFields(settings: FormSettings): FormField[] {
  return [
    {
      kind: 'text',
      id: 'userName',
      label: 'User name',
      maxLength: 60,
      hint: `${capital(RULES.userName)}.`,
      unique: true,
      example: 'jdoe',
    },
    // Generated passwords reach the requester privately after the create call; nobody types one.
    ...(settings.userPasswords === 'typed'
      ? [
          {
            kind: 'text',
            id: 'password',
            label: 'Initial password',
            secret: true,
            maxLength: 255,
            hint: `${capital(RULES.password)}.`,
            example: 'ChangeMe123!',
          } as const,
        ]
      : []),
    { kind: 'text', id: 'firstName', label: 'First name', example: 'Jane' },
    { kind: 'text', id: 'lastName', label: 'Last name', example: 'Doe' },
    { kind: 'text', id: 'middleName', label: 'Middle name', optional: true },
    { kind: 'text', id: 'displayName', label: 'Display name', optional: true },
    {
      kind: 'email',
      id: 'email',
      label: 'E-mail',
      hint: 'Must not belong to another Certification user.',
      unique: true,
      example: 'jane.doe@example.com',
    },
    {
      kind: 'text',
      id: 'phoneNumber',
      label: 'Phone number',
      optional: true,
      maxLength: 20,
      example: '555-555-5555',
    },
    settings.roles.length > 0
      ? {
          kind: 'multiselect',
          id: 'roles',
          label: 'Roles',
          options: roleOptions(settings.roles),
          optional: true,
        }
      : {
          kind: 'text',
          id: 'roles',
          label: 'Roles',
          optional: true,
          placeholder: 'Certification:Reconciler, Close:CloseAdmin',
          hint: 'Type:Value pairs, comma separated.',
          example: 'Certification:Reconciler',
        },
    {
      kind: 'checkboxes',
      id: 'userAccess',
      label: 'Access',
      options: USER_ACCESS_KEYS.map((k) => ({ value: k, label: USER_ACCESS_LABELS[k] })),
    },
    codeField('departmentId', 'Department', settings.departments),
    codeField('locationId', 'Location', settings.locations),
    {
      kind: 'text',
      id: 'programAdminRoleId',
      label: 'Program admin role',
      optional: true,
      maxLength: 15,
      hint: `A program admin role configured in Certification, ${RULES.code}.`,
    },
    {
      kind: 'checkboxes',
      id: 'lockedOut',
      label: 'Locked out',
      options: [{ value: 'lockedOut', label: 'Create the user locked out' }],
    },
  ];
}

const roleOptions = (roles: readonly string[]) =>
  roles.map((r) => ({ value: r, label: r.replace(':', ': ') }));

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function text(values: FormValues, id: string): string | undefined {
  const v = values[id];
  const s = typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
  return s?.trim() ? s.trim() : undefined;
}

function list(values: FormValues, id: string): string[] {
  const v = values[id];
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string');
  return typeof v === 'string' && v.trim() ? [v] : [];
}

/** "Type:Value" → role, or null when either side is empty. */
function splitRole(raw: string): { type: string; value: string } | null {
  const at = raw.indexOf(':');
  const type = raw.slice(0, at).trim();
  const value = raw.slice(at + 1).trim();
  return at > 0 && type && value ? { type, value } : null;
}

/** Field id of a certUserSchema issue path. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [head, next] = path;
  return head === 'name' && typeof next === 'string' ? next : String(head ?? 'userName');
}

/** Modal values → `{ users: [user] }`. @throws ValidationError keyed by FormField id */
export function parseCertForm(values: FormValues, settings: FormSettings): CertPayload {
  const errors: Record<string, string> = {};
  const rawRoles =
    settings.roles.length > 0
      ? list(values, 'roles')
      : (text(values, 'roles') ?? '').split(',').filter((r) => r.trim());
  const roles = rawRoles.map(splitRole);
  if (roles.some((r) => r === null)) errors.roles = `${capital(RULES.role)}, separated by commas.`;
  else if (settings.roles.length > 0 && rawRoles.some((r) => !settings.roles.includes(r))) {
    errors.roles = 'Choose roles from the list.';
  }
  for (const [id, choices] of [
    ['departmentId', settings.departments],
    ['locationId', settings.locations],
  ] as const) {
    const v = text(values, id);
    if (v !== undefined && choices.length > 0 && !choices.includes(v))
      errors[id] = 'Choose a value from the list.';
  }
  const checked = new Set(list(values, 'userAccess'));
  const typed = settings.userPasswords === 'typed';
  const candidate = {
    userName: text(values, 'userName') ?? '',
    ...(typed ? { password: typeof values.password === 'string' ? values.password : '' } : {}),
    name: {
      firstName: text(values, 'firstName') ?? '',
      lastName: text(values, 'lastName') ?? '',
      middleName: text(values, 'middleName'),
      displayName: text(values, 'displayName'),
    },
    email: text(values, 'email') ?? '',
    phoneNumber: text(values, 'phoneNumber'),
    roles: roles.filter((r) => r !== null),
    userAccess: Object.fromEntries(USER_ACCESS_KEYS.map((k) => [k, checked.has(k)])),
    departmentId: text(values, 'departmentId'),
    locationId: text(values, 'locationId'),
    programAdminRoleId: text(values, 'programAdminRoleId'),
    lockedOut: list(values, 'lockedOut').includes('lockedOut'),
  };
  const parsed = (typed ? certUserSchema : certStoredUserSchema).safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors[fieldOf(issue.path)] ??= `${capital(issue.message)}.`;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { users: [withoutEmptyRoles(parsed.data)], passwords: typed ? 'typed' : 'generated' };
}

/** An empty roles array says nothing the vendor needs; leave the key out like the seed's sample. */
function withoutEmptyRoles(user: CertStoredUser): CertStoredUser {
  if (user.roles && user.roles.length > 0) return user;
  const { roles: _roles, ...rest } = user;
  return rest;
}
