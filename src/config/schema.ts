/**
 * The one schema for every setting. Each leaf carries `meta({ description, secret?, env? })`:
 * load-config.ts derives the environment variable name from the leaf's path (vendors.pjm.ssoUsername →
 * PJM_SSO_USERNAME) unless `env` overrides it, accepts `<NAME>_FILE` for secrets, and the README's
 * configuration reference is generated from the same metadata (a test keeps them in step).
 */
import { z } from 'zod';
import { SECRET_KEY_HINT, SECRET_KEY_PATTERN } from '../secrets/secret-box.ts';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const SLACK_GROUP_ID = /^S[A-Z0-9]{2,}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

const secret = (description: string) => z.string().min(1).meta({ description, secret: true });
const text = (description: string) => z.string().min(1).meta({ description });
const list = (description: string, item: z.ZodString = z.string().min(1)) =>
  z.array(item).default([]).meta({ description, list: true });
const flag = (description: string, fallback: boolean) => z.boolean().default(fallback).meta({ description });
const int = (description: string, fallback: number, min = 1) =>
  z.number().int().min(min).default(fallback).meta({ description });

/**
 * Who may use /lookup (it shows e-mail, phone and accounts): the vendor's approvers and the admins,
 * plus these users and groups, or everyone when explicitly switched on.
 */
const lookupSettings = {
  lookupUsers: list(
    'Slack user ids who may use /lookup besides the approvers and admins, comma separated.',
    z.string().regex(SLACK_USER_ID, 'must be a Slack user id such as U0123ABCD'),
  ),
  lookupGroups: list(
    'Slack user-group ids (S…) whose members may use /lookup besides the approvers and admins.',
    z.string().regex(SLACK_GROUP_ID, 'must be a Slack user-group id such as S0123ABCD'),
  ),
  lookupEveryone: flag(
    'Let everyone in the workspace use /lookup (it shows e-mail, phone and accounts).',
    false,
  ),
};

/** Who approves, how many, and how long a request may wait — the same for every vendor. */
const approvalSettings = {
  enabled: flag('Offer this vendor in /newuser and /lookup.', false),
  approvalChannel: z
    .string()
    .regex(SLACK_CHANNEL_ID, 'must be a Slack channel id such as C0123ABCD (not a #name)')
    .optional()
    .meta({ description: 'Channel id where approval cards are posted (the bot must be a member).' }),
  approvers: list(
    'Slack user ids (U…/W…) allowed to approve or deny, comma separated.',
    z.string().regex(SLACK_USER_ID, 'must be a Slack user id such as U0123ABCD'),
  ),
  approverGroups: list(
    'Slack user-group ids (S…) whose members may approve or deny, comma separated.',
    z.string().regex(SLACK_GROUP_ID, 'must be a Slack user-group id such as S0123ABCD'),
  ),
  requiredApprovals: int('Distinct approvals needed before provisioning.', 1),
  allowSelfApproval: flag('Let a requester who is also an approver approve their own request.', false),
  expireAfterHours: int('Hours a request may stay pending before it expires and loses its buttons.', 72),
  remindAfterHours: z.array(z.number().int().min(1)).default([24]).meta({
    description: 'Hours after submission at which approvers are reminded in the thread.',
    list: true,
  }),
  requireJustification: flag(
    'Require an answer to “Why is this needed?” on every request (shown to approvers, never sent to the vendor); off: the question is optional.',
    true,
  ),
};

/** How hard the worker may press the vendor's server. */
const callLimit = (vendor: string) => ({
  maxParallelCalls: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({
      description: `Most ${vendor} pre-checks and create calls one replica runs at once (each job calls ${vendor} one call at a time; /lookup aside): protects the ${vendor} server from a burst of approvals, set it to what ${vendor} allows. Unset: up to WORKER_VENDOR_CONCURRENCY. Each replica has its own.`,
    }),
});

/** Who makes new users' initial passwords (issue 8 §3); the generated ones are revealed once. */
const userPasswords = (users: string) =>
  z
    .enum(['generate', 'typed'])
    .default('generate')
    .meta({
      description: `Initial passwords of ${users}: generate (one per user from a secure random source, revealed once to the requester) or typed (the requester types it in the form; held encrypted until the create call).`,
    });

export const pjmSettingsSchema = z.object({
  ...approvalSettings,
  ...callLimit('PJM'),
  ...lookupSettings,
  environment: z
    .enum(['prod', 'train'])
    .default('train')
    .meta({ description: 'PJM environment: prod or train. Selects hosts and the session cookie name.' }),
  accountManagerUrl: z
    .url()
    .optional()
    .meta({ description: 'Account Manager base URL; defaults to the environment’s host.' }),
  ssoUrl: z.url().optional().meta({ description: 'PJM SSO base URL; defaults to the environment’s host.' }),
  ssoUsername: text('PJM user (ideally a System ID) holding Account Manager API access.').optional(),
  ssoPassword: secret('Password of the PJM SSO user.').optional(),
  clientCertP12: text('Path of the PKCS#12 (.p12/.pfx) client certificate for PKI sign-in.').optional(),
  clientCertPassphrase: secret('Passphrase of the PKCS#12 client certificate.').optional(),
  caFile: text('Extra CA bundle (PEM) to trust for PJM hosts, e.g. a TLS-inspecting proxy.').optional(),
  pendingVisibleInSearch: flag(
    'Whether userSearch with activeOnly=F shows registrations still awaiting CAM approval (tenant fact).',
    false,
  ),
  accountAccess: list('Access names offered in the modal (PJM accountAccess).'),
  employers: list('Account shortnames offered as employer in the modal.'),
  timeoutMs: int('Deadline of one PJM HTTP call, connect to last byte, in milliseconds.', 30_000),
  maxResponseBytes: int('Largest PJM answer accepted, in bytes.', 10 * 1024 * 1024),
});

export const pam360SettingsSchema = z.object({
  ...approvalSettings,
  ...callLimit('PAM360'),
  ...lookupSettings,
  baseUrl: z
    .url()
    .optional()
    .meta({ description: 'PAM360 server URL, e.g. https://pam360.example.com:8282' }),
  authToken: secret('AUTHTOKEN of the PAM360 API user the bot acts as.').optional(),
  orgName: text('PAM360 organisation display name (MSP edition), sent as the orgName header.').optional(),
  caFile: text('CA certificate (PEM) that signed the PAM360 server certificate.').optional(),
  roles: list('Role names offered in the modal.'),
  departments: list('Departments offered in the modal (free text when empty).'),
  locations: list('Locations offered in the modal (free text when empty).'),
  userPasswords: userPasswords('new normal (non-API) users'),
  tokenRevealMinutes: int(
    'Minutes a new API user’s AUTHTOKEN, or a generated initial password, can be revealed before it is deleted.',
    60,
  ),
  timeoutMs: int('Deadline of one PAM360 HTTP call, connect to last byte, in milliseconds.', 30_000),
  maxResponseBytes: int('Largest PAM360 answer accepted, in bytes.', 10 * 1024 * 1024),
});

export const certSettingsSchema = z.object({
  ...approvalSettings,
  ...callLimit('Certification'),
  baseUrl: z.url().optional().meta({
    description: 'Certification API base URL; /users is appended (e.g. https://gw/api/admin/v1.1.0).',
  }),
  tokenUrl: z.url().optional().meta({ description: 'OAuth2 token endpoint URL.' }),
  tokenFlow: z
    .enum(['client_credentials', 'password'])
    .default('client_credentials')
    .meta({ description: 'OAuth2 grant: client_credentials (WSO2 gateway) or password (BlackLine STS).' }),
  clientId: text('OAuth2 client id (consumer key).').optional(),
  clientSecret: secret('OAuth2 client secret (consumer secret).').optional(),
  scope: text('OAuth2 scope, e.g. username:<userid> or "<ApiName> instance_<GUID>".').optional(),
  username: text('User for the password grant.').optional(),
  password: secret('API key / password for the password grant.').optional(),
  userPasswords: userPasswords('new users'),
  programAdminField: z.enum(['programAdminRoleId', 'programAdminId']).default('programAdminRoleId').meta({
    description: 'Wire name of the program admin role field (the seed documents one, samples the other).',
  }),
  roles: list('Roles offered in the modal, each as Type:Value (e.g. Certification:Reconciler).'),
  departments: list('Department codes offered in the modal.'),
  locations: list('Location codes offered in the modal.'),
  timeoutMs: int('Deadline of one Certification HTTP call, connect to last byte, in milliseconds.', 30_000),
  maxResponseBytes: int('Largest Certification answer accepted, in bytes.', 10 * 1024 * 1024),
});

export const configSchema = z.object({
  slack: z.object({
    mode: z
      .enum(['socket', 'http'])
      .default('socket')
      .meta({ description: 'socket (no public URL needed) or http (Request URL behind a load balancer).' }),
    botToken: secret('Bot token (xoxb-…).'),
    appToken: secret('App-level token with connections:write (xapp-…); Socket Mode only.').optional(),
    signingSecret: secret('Signing secret; HTTP mode only.').optional(),
    port: int('Port of the HTTP-mode receiver.', 3000),
    host: text('Address the HTTP-mode receiver binds to (0.0.0.0: every interface).').default('0.0.0.0'),
    apiUrl: z
      .url()
      .default('https://slack.com/api/')
      .meta({ description: 'Slack Web API base URL (GovSlack: https://slack-gov.com/api/).' }),
    teamId: z
      .string()
      .regex(/^[TE][A-Z0-9]{2,}$/, 'must be a Slack team id such as T0123ABCD')
      .optional()
      .meta({
        description:
          'Only serve this workspace (team id); deliveries from others, or without a team id, are refused.',
      }),
    enterpriseId: z
      .string()
      .regex(/^E[A-Z0-9]{2,}$/, 'must be a Slack Enterprise Grid id such as E0123ABCD')
      .optional()
      .meta({
        description: 'Only serve this Enterprise Grid organisation; deliveries from others are refused.',
      }),
    lookupsPerMinute: int('How many /lookup commands one user may run in a minute.', 10),
    adminUsers: list(
      'Slack user ids who may retry requests that need attention and export the audit trail.',
      z.string().regex(SLACK_USER_ID, 'must be a Slack user id such as U0123ABCD'),
    ),
  }),
  store: z.object({
    sqlitePath: z
      .string()
      .min(1)
      .default('./data/access-desk.db')
      .meta({ description: 'SQLite file (the embedded default store).' }),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .meta({
        description: 'PostgreSQL URL; when set it is used instead of SQLite.',
        secret: true,
        env: 'DATABASE_URL',
      }),
    secretKey: z
      .string()
      .regex(SECRET_KEY_PATTERN, `must be 32 random bytes in base64; ${SECRET_KEY_HINT}`)
      .meta({
        description: `Key that encrypts every secret held for a user (new tokens, initial passwords) with AES-256-GCM: 32 random bytes in base64; ${SECRET_KEY_HINT}.`,
        secret: true,
        env: 'ACCESS_DESK_SECRET_KEY',
      }),
  }),
  worker: z.object({
    concurrency: int(
      'Chat jobs (cards, replies, DMs) run at once by this process; vendor jobs have their own slots (WORKER_VENDOR_CONCURRENCY).',
      4,
    ),
    vendorConcurrency: int(
      'Vendor jobs (pre-checks, provisioning) run at once by this process, each waiting on its vendor; <VENDOR>_MAX_PARALLEL_CALLS caps one vendor below this.',
      16,
    ),
    pollMs: int(
      'How often an idle worker looks for jobs due by time, in milliseconds (enqueues wake it at once).',
      500,
    ),
    leaseMs: int(
      'How long a claimed job is held before another worker may reclaim it; renewed every third of it while the job runs.',
      30_000,
      1_000,
    ),
    retentionDays: int('Done and dead jobs are deleted after this many days (the audit trail is kept).', 30),
  }),
  log: z.object({
    level: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .meta({ description: 'Log level.' }),
  }),
  health: z.object({
    port: int('Port of /healthz, /readyz and /metrics (0 disables).', 8080, 0),
    host: text('Address the health server binds to (0.0.0.0: every interface).').default('0.0.0.0'),
  }),
  shutdown: z.object({
    timeoutMs: int(
      'On SIGTERM, how long jobs in hand may take to finish before they are released and the process exits.',
      10_000,
    ),
  }),
  vendors: z.object({
    pjm: pjmSettingsSchema,
    pam360: pam360SettingsSchema,
    cert: certSettingsSchema,
  }),
});

export type Config = z.infer<typeof configSchema>;
export type PjmSettings = z.infer<typeof pjmSettingsSchema>;
export type Pam360Settings = z.infer<typeof pam360SettingsSchema>;
export type CertSettings = z.infer<typeof certSettingsSchema>;
export type ApprovalSettings = Pick<PjmSettings, keyof typeof approvalSettings>;
