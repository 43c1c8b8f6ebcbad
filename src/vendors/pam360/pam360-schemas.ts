/**
 * PAM360 / Password Manager Pro wire formats (reference/vendor-apis.md §2). Requests are validated
 * before they are sent; every response is parsed here and nowhere else.
 */
import { z } from 'zod';
import { PASSWORD_HANDLING } from '../user-passwords.ts';

/** `yyyy-MM-dd`, the only date format the create call documents (userapi-2). */
export const PAM360_DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = z.string().min(1);
const flag = z.boolean();

/**
 * `operation.Details` of the create call: every field of the seed's API-user sample and of its
 * normal-user curl sample. Booleans are JSON booleans, as the vendor sample sends them.
 */
export const pam360UserDetailsSchema = z.strictObject({
  FIRSTNAME: text,
  LASTNAME: text,
  USERNAME: text,
  EMAIL: z.email(),
  SECONDARYEMAILID: z.email().optional(),
  ROLE: text.optional(),
  ROLEID: z.number().int().positive().optional(),
  DEPARTMENT: text.optional(),
  LOCATION: text.optional(),
  USERGROUPNAME: text.optional(),
  ISAPIUSER: flag.optional(),
  RESTAPIACCESS: flag.optional(),
  SDKACCESS: flag.optional(),
  OWNERNAMEOPTION: flag.optional(),
  EXPIRYDATE: z.string().regex(PAM360_DATE).optional(),
  TOKENVALIDITYDAYS: z.number().int().positive().optional(),
  HOSTCHECK: flag.optional(),
  HOSTNAME: text.optional(),
  // Normal-user fields of the seed's curl sample.
  ISSUPERADMIN: flag.optional(),
  WEBACCESS: flag.optional(),
  POLICY: text.optional(),
  PASSWORD: text.optional(),
  ENABLEMOBILEACCESS: flag.optional(),
  ENABLEADDONACCESS: flag.optional(),
  REMOTECONNECTACCESS: flag.optional(),
  REMOTECONNECTVIASSHPROXY: flag.optional(),
  ENABLETWOFACTOR: flag.optional(),
  RSAUSERNAME: text.optional(),
  RADIUSUSERNAME: text.optional(),
  PHONEFACTOR_USERNAME: text.optional(),
  DUOUSERNAME: text.optional(),
  PRIMARYCONTACT: text.optional(),
  MOBILE_COUNTRYCODE: text.optional(),
  MOBILE: text.optional(),
  LANDLINE: text.optional(),
  LANDLINE_COUNTRYCODE: text.optional(),
  LANDLINE_EXT: text.optional(),
});
export type Pam360UserDetails = z.infer<typeof pam360UserDetailsSchema>;

/** The JSON carried in the INPUT_DATA form field; also the payload an approval binds to. */
export const pam360CreateInputSchema = z.strictObject({
  operation: z.strictObject({ Details: pam360UserDetailsSchema }),
});
export type Pam360CreateInput = z.infer<typeof pam360CreateInputSchema>;

/**
 * The stored payload: the create call's INPUT_DATA without a normal user's initial password, which
 * is generated or held sealed and put back only for the call (pam360-passwords.ts); `passwords`
 * records which. Payloads from before that carry no `passwords` key.
 */
export const pam360PayloadSchema = pam360CreateInputSchema.extend({
  passwords: z.enum(PASSWORD_HANDLING).optional(),
});
export type Pam360Payload = z.infer<typeof pam360PayloadSchema>;

export type Pam360Status = 'success' | 'failed' | 'other';

/**
 * Every spelling seen (vendor-apis.md Corrections): true, "true", "Success", "SUCCESS" succeed;
 * false, "false", "Failed", "FAILED" fail. Anything else is neither and is reported as such.
 */
export function normaliseStatus(raw: boolean | string): Pam360Status {
  const s = String(raw).trim().toLowerCase();
  if (s === 'true' || s === 'success') return 'success';
  if (s === 'false' || s === 'failed' || s === 'failure') return 'failed';
  return 'other';
}

/** `{"operation":{"name","result":{"status","message"},"Details"}}` (§2.4). */
export const pam360EnvelopeSchema = z.object({
  operation: z.object({
    name: z.string().optional(),
    result: z.object({
      status: z.union([z.boolean(), z.string()]).transform(normaliseStatus),
      message: z.string().optional(),
    }),
    Details: z.unknown().optional(),
  }),
});
export type Pam360Envelope = z.infer<typeof pam360EnvelopeSchema>;

/** USERID is a string in observed responses; a number is accepted too. */
const userIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/** Details may come as a one-element list in list-style responses; take the element. */
const one = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);

export const pam360CreatedDetailsSchema = z.preprocess(
  one,
  z.object({ USERID: userIdSchema.optional(), AUTHTOKEN: z.string().min(1).optional() }),
);

export const pam360UserIdDetailsSchema = z.preprocess(one, z.object({ USERID: userIdSchema }));
