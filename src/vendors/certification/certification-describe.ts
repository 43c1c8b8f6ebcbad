/**
 * What the approver sees of a stored Certification payload: every field of every user (secrets only
 * flagged), and for a batch every privilege granted with its holders, so nothing sent goes unseen.
 */
import type { Json } from '../../domain/request.ts';
import { ValidationError } from '../../errors.ts';
import type { PayloadDescription, PayloadLine, PayloadRow, PrivilegeGrant } from '../provisioner.ts';
import { passwordLine } from '../user-passwords.ts';
import { USER_ACCESS_LABELS } from './certification-form.ts';
import {
  type CertPayload,
  type CertStoredUser,
  certPayloadSchema,
  USER_ACCESS_KEYS,
} from './certification-schemas.ts';

type CertUser = CertStoredUser;
type Handling = CertPayload['passwords'];

/** Stored payload → typed users. @throws ValidationError when it is not a Certification payload */
export function readCertPayload(payload: Json): CertPayload {
  const parsed = certPayloadSchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'payload'] ??= issue.message;
  throw new ValidationError(fields);
}

const fullName = (u: CertUser) =>
  u.name.displayName ?? [u.name.firstName, u.name.middleName, u.name.lastName].filter(Boolean).join(' ');

const roleName = (r: { type: string; value: string }) => `${r.type}:${r.value}`;

/** One line per payload field; every key of CertUser appears (a test holds this). */
function userLines(u: CertUser, handling: Handling): PayloadLine[] {
  const access = USER_ACCESS_KEYS.filter((k) => u.userAccess[k]).map((k) => USER_ACCESS_LABELS[k]);
  const lines: PayloadLine[] = [
    { label: 'User name', value: u.userName },
    passwordLine('Password', handling),
    {
      label: 'Name',
      value: [u.name.firstName, u.name.middleName, u.name.lastName].filter(Boolean).join(' '),
    },
  ];
  if (u.name.displayName) lines.push({ label: 'Display name', value: u.name.displayName });
  lines.push({ label: 'E-mail', value: u.email });
  if (u.phoneNumber) lines.push({ label: 'Phone', value: u.phoneNumber });
  if (u.roles?.length) lines.push({ label: 'Roles', value: u.roles.map(roleName).join(', ') });
  lines.push({ label: 'Access', value: access.length > 0 ? access.join(', ') : 'none' });
  if (u.departmentId) lines.push({ label: 'Department', value: u.departmentId });
  if (u.locationId) lines.push({ label: 'Location', value: u.locationId });
  if (u.programAdminRoleId) lines.push({ label: 'Program admin role', value: u.programAdminRoleId });
  lines.push({ label: 'Locked out', value: u.lockedOut ? 'yes' : 'no' });
  return lines;
}

/** Each role, access flag and program-admin role the batch grants, with every user holding it. */
function privileges(users: readonly CertUser[]): PrivilegeGrant[] {
  const grants = new Map<string, string[]>();
  const grant = (label: string, user: CertUser) => {
    const holders = grants.get(label) ?? [];
    holders.push(user.userName);
    grants.set(label, holders);
  };
  for (const u of users) {
    for (const k of USER_ACCESS_KEYS) if (u.userAccess[k]) grant(`Access: ${USER_ACCESS_LABELS[k]}`, u);
    if (u.programAdminRoleId) grant(`Program admin role: ${u.programAdminRoleId}`, u);
    for (const r of u.roles ?? []) grant(`Role: ${roleName(r)}`, u);
  }
  return [...grants].map(([label, holders]) => ({ label, holders }));
}

export function describeCertPayload(payload: Json): PayloadDescription {
  const { users, passwords } = readCertPayload(payload);
  const [first] = users;
  if (users.length === 1 && first) {
    return { subject: `${first.userName} (${fullName(first)})`, lines: userLines(first, passwords) };
  }
  const rows: PayloadRow[] = users.map((u) => ({ subject: u.userName, lines: userLines(u, passwords) }));
  const locked = users.filter((u) => u.lockedOut).length;
  return {
    subject: `${users.length} users`,
    lines: [
      { label: 'Users', value: String(users.length) },
      passwordLine('Passwords', passwords),
      { label: 'Locked out', value: locked === 0 ? 'none' : `${locked} of ${users.length}` },
    ],
    rows,
    privileges: privileges(users),
  };
}
