/**
 * Zod schemas of PJM's wire format (vendor-apis.md §1). Every byte PJM sends is parsed here once;
 * the rest of the PJM code works with the inferred types only.
 */
import { z } from 'zod';

export const PJM_EMPLOYED_AS = ['Agent', 'Employee', 'Contractor', 'Consultant'] as const;
export type PjmEmployedAs = (typeof PJM_EMPLOYED_AS)[number];

/** POST /rest/secure/registrations body. The phone key is `phone` (the seed's second jobTitle is a typo). */
export const pjmRegistrationSchema = z.strictObject({
  username: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  jobTitle: z.string().min(1).optional(),
  phone: z.string().min(1).optional(),
  employer: z.string().min(1),
  employedAs: z.enum(PJM_EMPLOYED_AS),
  email: z.string().min(1),
  accountAccess: z.array(z.string().min(1)).optional(),
});
export type PjmRegistration = z.infer<typeof pjmRegistrationSchema>;

/** Registration answer: an array of messages, INFO on success, one ERROR per violated rule on 400. */
export const pjmMessagesSchema = z.array(
  z.object({
    type: z.string(),
    lineNumber: z.number().nullable().optional(),
    message: z.string(),
  }),
);
export type PjmMessage = z.infer<typeof pjmMessagesSchema>[number];

/**
 * OpenAM authenticate answer. Only tokenId is contractual; `authId`/`callbacks` mean OpenAM wants
 * another step (uncertified certificate, 2FA) that a bot cannot answer.
 */
export const pjmSsoResponseSchema = z.object({
  tokenId: z.string().min(1).optional(),
  authId: z.string().optional(),
  callbacks: z.array(z.unknown()).optional(),
});

/** Stock OpenAM error body; PJM's exact 401 body is unknown, so every field is optional. */
export const pjmSsoErrorSchema = z.object({
  message: z.string().optional(),
  reason: z.string().optional(),
});

/** RESTEasy `<errorResponse>` pieces, extracted from XML by pattern (no XML parser dependency). */
export const pjmXmlErrorSchema = z.object({
  errorType: z.string().default(''),
  message: z.string().min(1),
});

const column = z.string().trim().default('');

/**
 * One userSearch CSV row, keyed by header name: PJM adds columns over time ("Employed as" came in
 * 1.6.15), so unknown columns are dropped and missing optional ones become ''.
 */
export const pjmCsvRowSchema = z.object({
  'Account ID': column,
  Account: column,
  'Account shortname': column,
  'Last name': column,
  'First name': column,
  Username: z.string().trim().min(1),
  Email: column,
  Phone: column,
  'Employed as': column,
  'System account': column,
  'Lock Status': column,
  'Lock Timestamp': column,
  'User Status': column,
});

/** userSearch query parameters, all documented ones; `*` wildcards pass through unchanged. */
export const PJM_SEARCH_PARAMS = [
  'username',
  'activeOnly',
  'accountId',
  'accountName',
  'accountShortName',
  'firstName',
  'lastName',
  'systemId',
  'emailAddress',
  'phone',
] as const;
export type PjmSearchParam = (typeof PJM_SEARCH_PARAMS)[number];
export type PjmUserSearchQuery = Partial<Record<PjmSearchParam, string>>;

export interface PjmAccount {
  id: string;
  name: string;
  shortName: string;
}

/** A user as userSearch shows it, with every account row of that user grouped together. */
export interface PjmUser {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  employedAs: string;
  systemAccount: string;
  lockStatus: string;
  userStatus: string;
  accounts: PjmAccount[];
}
