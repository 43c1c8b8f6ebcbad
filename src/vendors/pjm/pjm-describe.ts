/** Approval-card lines for a stored PJM registration (the exact body sent to PJM). */
import type { Json } from '../../domain/request.ts';
import { ValidationError } from '../../errors.ts';
import type { PayloadDescription } from '../provisioner.ts';
import { type PjmRegistration, pjmRegistrationSchema } from './pjm-schemas.ts';

/** A stored payload back into a registration. @throws ValidationError if it is not one. */
export function readPjmPayload(payload: Json): PjmRegistration {
  const parsed = pjmRegistrationSchema.safeParse(payload);
  if (!parsed.success) {
    throw new ValidationError({
      payload: `Not a PJM registration: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    });
  }
  return parsed.data;
}

/**
 * Card lines. A PJM registration carries no secret (the new user sets a password from PJM's
 * e-mail), and the strict schema refuses any extra key, so nothing secret can reach the card.
 */
export function describePjmPayload(payload: Json): PayloadDescription {
  const r = readPjmPayload(payload);
  return {
    subject: `${r.username} (${r.firstName} ${r.lastName})`,
    lines: [
      { label: 'Username', value: r.username },
      { label: 'Name', value: `${r.firstName} ${r.lastName}` },
      { label: 'E-mail', value: r.email },
      { label: 'Employer', value: r.employer },
      { label: 'Employed as', value: r.employedAs },
      { label: 'Job title', value: r.jobTitle ?? '—' },
      { label: 'Phone', value: r.phone ?? '—' },
      { label: 'Account access', value: r.accountAccess?.join(', ') ?? 'none requested' },
    ],
  };
}
