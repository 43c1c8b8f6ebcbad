/**
 * One step of a vendor's connection check (npm run doctor): run it, and turn a failure into a
 * result whose fix names the setting. The vendor's own message is the detail; it never carries a
 * credential (vendor errors are built without them).
 */
import { type CheckResult, fail, pass } from '../domain/check-result.ts';
import { coerceError, VendorError } from '../errors.ts';

/** The fix for a failed step, chosen from the error (kind and the vendor's message). */
export type FixFor = (e: VendorError) => string;

export async function checkStep(
  name: string,
  run: () => Promise<string>,
  fixFor: FixFor,
): Promise<CheckResult> {
  try {
    return pass(name, await run());
  } catch (e) {
    if (e instanceof VendorError) return fail(name, e.message, fixFor(e));
    return fail(
      name,
      coerceError(e).message,
      fixFor(new VendorError({ vendor: '', kind: 'unknown', message: '' })),
    );
  }
}

/** A TLS failure names the CA setting in its message (http-classify.ts); so does the fix. */
export const isTlsTrust = (e: VendorError, caSetting: string) => e.message.includes(caSetting);
