/**
 * "Why is this needed?": one more question on every vendor's form, answered for the approvers. It is
 * stored with the request (facts.justification) and bound into the approval hash, never sent to the vendor.
 */
import { ValidationError } from '../errors.ts';
import type { FormField, FormValues } from '../vendors/provisioner.ts';
import type { VendorEntry } from './deps.ts';

export const JUSTIFICATION_FIELD = 'justification';
export const JUSTIFICATION_MAX = 1000;

export function justificationField(
  entry: Pick<VendorEntry, 'requireJustification' | 'provisioner'>,
): FormField {
  return {
    kind: 'text',
    id: JUSTIFICATION_FIELD,
    label: 'Why is this needed?',
    multiline: true,
    maxLength: JUSTIFICATION_MAX,
    optional: !entry.requireJustification,
    hint: `Shown to the approvers with the request; not sent to ${entry.provisioner.displayName}.`,
  };
}

/** The vendor's form fields and the justification question, in the order the modal shows them. */
export const formFieldsFor = (entry: Pick<VendorEntry, 'requireJustification' | 'provisioner'>) => [
  ...entry.provisioner.formFields(),
  justificationField(entry),
];

/** The trimmed answer ('' when none). @throws ValidationError keyed JUSTIFICATION_FIELD */
export function readJustification(required: boolean, raw: FormValues[string]): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (required && !text)
    throw new ValidationError({
      [JUSTIFICATION_FIELD]: 'Say why this access is needed; the approvers read it.',
    });
  if (text.length > JUSTIFICATION_MAX)
    throw new ValidationError({ [JUSTIFICATION_FIELD]: `Keep it under ${JUSTIFICATION_MAX} characters.` });
  return text;
}
