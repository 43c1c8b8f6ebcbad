/**
 * Wire schemas of the Certification "Create Users" API (seed 002, reference §3) and of the payload
 * this bot stores for it. The user rules are the seed's own regexes and lengths, verbatim; their
 * messages say the rule in plain words because they appear under the field in the Slack modal.
 */
import { z } from 'zod';
import { checkIdentifier } from '../identifier.ts';
import { PASSWORD_HANDLING } from '../user-passwords.ts';

/** Seed: "^(?=.{2,60}$)(?![.])(?!.*[.]{2})[a-zA-Z0-9._#@-]+(?<![.])$". */
export const USER_NAME_PATTERN = /^(?=.{2,60}$)(?![.])(?!.*[.]{2})[a-zA-Z0-9._#@-]+(?<![.])$/;
/** Seed: "^(?=.*[A-Za-z])(?=.*\d)(?=.*[@$!%*#?&])[A-Za-z\d@$!%*#?&]{8,}$". */
export const PASSWORD_PATTERN = /^(?=.*[A-Za-z])(?=.*\d)(?=.*[@$!%*#?&])[A-Za-z\d@$!%*#?&]{8,}$/;
/** Seed: "^[_A-Za-z0-9-\+]+(\.[_A-Za-z0-9-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(\.[A-Za-z]{2,})$". */
export const EMAIL_PATTERN =
  /^[_A-Za-z0-9-+]+(\.[_A-Za-z0-9-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(\.[A-Za-z]{2,})$/;

/** Seed: "A limit of 1000 user records are allowed per request". */
export const MAX_USERS_PER_REQUEST = 1000;

export const RULES = {
  userName: '2–60 characters: letters, digits and . _ # @ -; no leading, trailing or double dot',
  password:
    '8–255 characters, only letters, digits and @ $ ! % * # ? &; at least one letter, one digit and one of @ $ ! % * # ? &',
  email: 'an e-mail address of at most 128 characters, such as jane.doe@example.com (no + after the @)',
  phoneNumber: 'at most 20 characters',
  code: 'at most 15 characters',
  visible: 'type it without invisible control or formatting characters (zero-width spaces, direction marks)',
  required: 'required',
  role: 'each role as Type:Value, such as Certification:Reconciler',
} as const;

const required = z.string().trim().min(1, RULES.required);
/** Ids whose character set the seed leaves open: NFKC, and nothing invisible (identifier.ts). */
const visibleId = z
  .string()
  .trim()
  .normalize('NFKC')
  .refine((s) => checkIdentifier(s, 'id').ok, RULES.visible);
const code = visibleId.pipe(z.string().min(1, RULES.code).max(15, RULES.code));

export const USER_ACCESS_KEYS = [
  'r2RAdmin',
  'r2REnabled',
  'accessClose',
  'r2RReadOnly',
  'accessCompliance',
] as const;
export type UserAccessKey = (typeof USER_ACCESS_KEYS)[number];

export const certRoleSchema = z.object({
  type: visibleId.pipe(z.string().min(1, RULES.role)),
  value: visibleId.pipe(z.string().min(1, RULES.role)),
});

/**
 * One user as stored in the payload. The program admin role is kept under its documented name
 * `programAdminRoleId`; the client renames it to `settings.programAdminField` on the wire.
 */
export const certUserSchema = z.strictObject({
  userName: z
    .string()
    .trim()
    .min(2, RULES.userName)
    .max(60, RULES.userName)
    .regex(USER_NAME_PATTERN, RULES.userName),
  password: z
    .string()
    .min(8, RULES.password)
    .max(255, RULES.password)
    .regex(PASSWORD_PATTERN, RULES.password),
  name: z.strictObject({
    firstName: required,
    lastName: required,
    middleName: z.string().trim().min(1).optional(),
    displayName: z.string().trim().min(1).optional(),
  }),
  email: z.string().trim().min(1, RULES.required).max(128, RULES.email).regex(EMAIL_PATTERN, RULES.email),
  phoneNumber: z.string().trim().min(1).max(20, RULES.phoneNumber).optional(),
  roles: z.array(certRoleSchema).optional(),
  userAccess: z.strictObject({
    r2RAdmin: z.boolean(),
    r2REnabled: z.boolean(),
    accessClose: z.boolean(),
    r2RReadOnly: z.boolean(),
    accessCompliance: z.boolean(),
  }),
  departmentId: code.optional(),
  locationId: code.optional(),
  programAdminRoleId: code.optional(),
  lockedOut: z.boolean(),
});
export type CertUser = z.infer<typeof certUserSchema>;

/**
 * A user as stored: the initial password is never kept in the payload (issue 8 §3). It is generated
 * or held sealed, and put back only for the create call (certification-passwords.ts).
 */
export const certStoredUserSchema = certUserSchema.extend({
  password: certUserSchema.shape.password.optional(),
});
export type CertStoredUser = z.infer<typeof certStoredUserSchema>;

/**
 * The stored payload: `{ users: [...], passwords }`, one user from the modal, up to thousands from a
 * CSV. Payloads stored before passwords were held apart carry them per user and no `passwords` key.
 */
export const certPayloadSchema = z.strictObject({
  users: z.array(certStoredUserSchema).min(1),
  passwords: z.enum(PASSWORD_HANDLING).optional(),
});
export type CertPayload = z.infer<typeof certPayloadSchema>;

/** OAuth2 token response; `expires_in` is a number in the RFC, a string in some gateways. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

/** OAuth2 error (RFC 6749 §5.2): invalid_client, invalid_grant, invalid_scope, … */
export const tokenErrorSchema = z.object({
  error: z.string().min(1),
  error_description: z.string().optional(),
});

const gatewayErrorBody = z.object({
  code: z.union([z.string(), z.number()]).transform(String),
  message: z.string().optional(),
  description: z.string().optional(),
  nextAccessTime: z.string().optional(),
});
export type GatewayError = z.infer<typeof gatewayErrorBody>;

/** WSO2 gateway error: flat JSON (APIM 3.x/4.x) or the older `{"fault": {…}}` wrapper. */
export const gatewayErrorSchema = z.union([
  z.object({ fault: gatewayErrorBody }).transform((b) => b.fault),
  gatewayErrorBody,
]);

const idSchema = z.union([z.string().min(1), z.number()]).transform(String);

/** Create Users response; the seed spells `sucessCount`, some builds `successCount`. */
export const createUsersResponseSchema = z
  .object({
    sucessCount: z.number().optional(),
    successCount: z.number().optional(),
    failureCount: z.number().optional(),
    totalProcessed: z.number().optional(),
    successResults: z
      .array(z.object({ id: idSchema, action: z.string().optional(), username: z.string() }))
      .default([]),
    failureResults: z
      .array(z.object({ messages: z.array(z.string()).default([]), username: z.string() }))
      .default([]),
  })
  .refine(
    (b) =>
      b.sucessCount !== undefined ||
      b.successCount !== undefined ||
      b.successResults.length > 0 ||
      b.failureResults.length > 0,
    'not a Create Users result',
  );
export type CreateUsersResponse = z.infer<typeof createUsersResponseSchema>;

/** A whole-request refusal such as `{"message": "Request must contain between 1 and 1000 users"}`. */
export const requestErrorSchema = z.object({ message: z.string().min(1) });
