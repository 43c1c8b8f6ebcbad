/**
 * Knobs, faults, options and the public interface of the Certification simulator, plus the zod
 * schemas of its test-only `/__sim/*` endpoints.
 */
import { z } from 'zod';
import type { CertSettings } from '../../../src/config/schema.ts';
import type { CertSimUser } from './certification-sim-backend.ts';
import { simFaultSchema } from './sim-kit.ts';

export const CERT_API_PREFIX = '/api/admin/v1.1.0';
export const CERT_SIM_ROUTES = ['token', 'users'] as const;
export type CertSimRoute = (typeof CERT_SIM_ROUTES)[number];
export type CertSimTokenFlow = 'client_credentials' | 'password';

export const certSimKnobsSchema = z.object({
  tokenFlow: z.enum(['client_credentials', 'password']),
  tokenTtlSeconds: z.number().positive(),
  /** HTTP status of a batch where some users were created and some refused. */
  mixedBatchStatus: z.union([z.literal(200), z.literal(400)]),
  /** Gateway quota on API calls per fixed window; null = unlimited. */
  throttle: z.object({ limit: z.number().int().min(0), windowSeconds: z.number().positive() }).nullable(),
  /** Code the gateway gives an expired token: WSO2 often says 900901 rather than 900903. */
  expiredTokenCode: z.enum(['900901', '900903']),
  responseSpelling: z.enum(['sucessCount', 'successCount']),
  idType: z.enum(['string', 'number']),
  /** Gateway error body: flat JSON (APIM 3.x/4.x), `{"fault":…}` (older, numeric code) or XML. */
  errorStyle: z.enum(['json', 'fault', 'xml']),
  /** Status of 900906 "no matching resource": 404 in some WSO2 versions, 400 in others. */
  notFoundStatus: z.union([z.literal(404), z.literal(400)]),
  roleTypes: z.array(z.string()),
});
export type CertSimKnobs = z.infer<typeof certSimKnobsSchema>;

/** The kit's faults, and a gateway error answered as the gateway formats it. */
export const certSimFaultSchema = simFaultSchema.extend({
  gatewayCode: z.enum(['900800', '900901', '900902', '900903', '900906', '900908', '900910']).optional(),
});
export type CertSimFault = z.input<typeof certSimFaultSchema>;

export interface CertSimCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Scope the token endpoint grants; defaults per flow. */
  scope?: string;
}

export interface CertSimOptions extends Partial<CertSimKnobs> {
  /** The sim's clock for token expiry and throttle windows (share a FakeClock with the client). */
  now?: () => Date;
  credentials?: Partial<CertSimCredentials>;
  /** Serve HTTPS with this key/certificate (test/fakes/tls.ts). */
  tls?: { key: string; cert: string };
  /** timeoutMs put into settings(). */
  timeoutMs?: number;
}

export interface CertSim {
  url: string;
  /** Current knobs; change them with setKnobs(). */
  readonly knobs: Readonly<CertSimKnobs>;
  setKnobs(knobs: Partial<CertSimKnobs>): void;
  /** Apply `fault` to the next `times` calls of `route`. */
  fault(route: CertSimRoute, fault: CertSimFault, times?: number): void;
  /** Batches the backend processed. */
  readonly createCalls: number;
  /** Requests to the token endpoint. */
  readonly tokenCalls: number;
  /** Requests that reached the users route (before any gateway check). */
  readonly usersRequests: number;
  users(): CertSimUser[];
  /** The password a created user was sent with. */
  passwordOf(userName: string): string | undefined;
  seedUsers(users: readonly { userName: string; email: string }[]): void;
  /** Make every issued token expired (the gateway then answers expiredTokenCode). */
  expireTokens(): void;
  /** Access tokens issued so far (for tests that scan logs for them). */
  issuedTokens(): string[];
  /** Forget every issued token (the gateway then answers 900901). */
  revokeTokens(): void;
  reset(): void;
  /** Complete settings pointing at this sim. */
  settings(overrides?: Partial<CertSettings>): CertSettings;
  close(): Promise<void>;
}

export const DEFAULT_KNOBS: CertSimKnobs = {
  tokenFlow: 'client_credentials',
  tokenTtlSeconds: 3600,
  mixedBatchStatus: 400,
  throttle: null,
  expiredTokenCode: '900901',
  responseSpelling: 'sucessCount',
  idType: 'string',
  errorStyle: 'json',
  notFoundStatus: 404,
  roleTypes: ['Close', 'Certification', 'JournalEntry', 'Compliance'],
};

export const DEFAULT_CREDENTIALS = {
  clientId: 'access-desk-client',
  clientSecret: 'sim-client-secret-9f2c',
  username: 'svc-accessdesk',
  password: 'sim-api-key-41d7',
};

export const tokenPath = (flow: CertSimTokenFlow) =>
  flow === 'password' ? '/authorize/connect/token' : '/oauth2/token';

export const seedBody = z.array(z.object({ userName: z.string(), email: z.string() }));
