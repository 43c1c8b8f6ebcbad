import { describe, expect, it } from 'vitest';
import { approvalHash, payloadHash } from '../../../src/domain/payload-hash.ts';
import { ValidationError } from '../../../src/errors.ts';
import { JUSTIFICATION_MAX, readJustification } from '../../../src/flows/justification.ts';

/** The field message a refused answer gets. */
function refusal(required: boolean, raw: string | null): string | undefined {
  try {
    readJustification(required, raw);
  } catch (e) {
    if (e instanceof ValidationError) return e.fields.justification;
    throw e;
  }
  return undefined;
}

describe('justification', () => {
  it('is required unless the vendor setting makes it optional; trimmed; bounded', () => {
    expect(refusal(true, '  ')).toMatch(/Say why/);
    expect(refusal(true, null)).toMatch(/Say why/);
    expect(readJustification(false, undefined)).toBe('');
    expect(readJustification(true, '  Joins the team \n')).toBe('Joins the team');
    expect(refusal(false, 'x'.repeat(JUSTIFICATION_MAX + 1))).toMatch(/under 1000/);
  });

  it('binds into the approval hash: another reason is another hash; none keeps the payload’s own', () => {
    const payload = { username: 'jdoe' };
    expect(approvalHash(payload)).toBe(payloadHash(payload));
    expect(approvalHash(payload, 'audit')).not.toBe(approvalHash(payload));
    expect(approvalHash(payload, 'audit')).not.toBe(approvalHash(payload, 'audit '));
    expect(approvalHash({ b: 1, a: 2 }, 'x')).toBe(approvalHash({ a: 2, b: 1 }, 'x'));
  });
});
