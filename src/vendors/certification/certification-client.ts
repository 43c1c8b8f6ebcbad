/**
 * Certification "Create Users" client: `POST {baseUrl}/users` with a Bearer token and a JSON array of
 * 1..1000 users (seed 002). Larger inputs go out in batches of ≤1000 whose results are merged. It
 * never retries the create call itself except after a gateway token refusal (see #send), never
 * sleeps, and logs each call at debug without any secret.
 */
import { z } from 'zod';
import type { Clock } from '../../domain/clock.ts';
import { isVendorError, ValidationError, type VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import {
  type Interpret,
  parseJsonBody,
  type VendorCallObserver,
  VendorHttp,
  type VendorHttpResponse,
  withChanges,
} from '../http.ts';
import { apiFailure, CERT_VENDOR, isRejectedToken, parseGatewayError } from './certification-errors.ts';
import {
  type CertStoredUser,
  type CertUser,
  certUserSchema,
  createUsersResponseSchema,
  MAX_USERS_PER_REQUEST,
} from './certification-schemas.ts';
import { CertTokenSource, type TokenFlow } from './certification-token.ts';

export interface CertClientOptions {
  /** Whole base URL (scheme, host, port, prefix); `/users` is appended. */
  baseUrl: string;
  tokenUrl: string;
  tokenFlow: TokenFlow;
  clientId: string;
  clientSecret: string;
  scope?: string;
  username?: string;
  password?: string;
  /** Wire name of the program admin role (the seed documents one name and samples the other). */
  programAdminField: 'programAdminRoleId' | 'programAdminId';
  timeoutMs: number;
  maxResponseBytes: number;
  log: Logger;
  clock: Clock;
  onCall?: VendorCallObserver;
}

export interface CreatedUser {
  username: string;
  id: string;
  action: string;
}

export interface FailedUser {
  username: string;
  /** Certification's own words. */
  messages: string[];
}

export interface CreateUsersResult {
  created: CreatedUser[];
  failed: FailedUser[];
  /** HTTP status of each batch call, in order (200, or 400 when some users failed). */
  statuses: number[];
}

const usersSchema = z.array(certUserSchema).min(1, 'at least one user');

/** The gateway refused the token: the batch never reached the backend. */
const TOKEN_REJECTED: unique symbol = Symbol('token rejected');

export class CertClient {
  readonly #opts: CertClientOptions;
  readonly #http: VendorHttp;
  readonly #tokens: CertTokenSource;
  readonly #usersUrl: string;

  constructor(opts: CertClientOptions) {
    this.#opts = opts;
    this.#http = new VendorHttp({
      vendor: CERT_VENDOR,
      label: 'Certification',
      envPrefix: 'CERT',
      deadlineMs: opts.timeoutMs,
      maxResponseBytes: opts.maxResponseBytes,
      log: opts.log,
      onCall: opts.onCall,
    });
    this.#tokens = new CertTokenSource({
      tokenUrl: opts.tokenUrl,
      flow: opts.tokenFlow,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      scope: opts.scope,
      username: opts.username,
      password: opts.password,
      http: this.#http,
      clock: opts.clock,
    });
    this.#usersUrl = `${opts.baseUrl.replace(/\/+$/, '')}/users`;
  }

  /**
   * Create users, in batches of at most 1000. Per-user refusals are results, not errors.
   * @throws ValidationError (keys `<index>.<field>`) before sending anything invalid, such as a
   *   user whose password was not put back
   * @throws VendorError for auth, throttle, transport and whole-request failures; when an earlier
   *   batch already went out, `requestSent` is true whatever the failing batch did
   */
  async createUsers(users: readonly CertStoredUser[], signal?: AbortSignal): Promise<CreateUsersResult> {
    const parsed = usersSchema.safeParse(users);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'users'] ??= issue.message;
      throw new ValidationError(fields);
    }
    const merged: CreateUsersResult = { created: [], failed: [], statuses: [] };
    for (let start = 0; start < parsed.data.length; start += MAX_USERS_PER_REQUEST) {
      const batch = parsed.data.slice(start, start + MAX_USERS_PER_REQUEST);
      try {
        const result = await this.#createBatch(batch, signal);
        merged.created.push(...result.created);
        merged.failed.push(...result.failed);
        merged.statuses.push(...result.statuses);
      } catch (e) {
        throw start > 0 && isVendorError(e) ? afterEarlierBatches(e, start) : e;
      }
    }
    return merged;
  }

  /** A token from the token endpoint (npm run doctor). @throws VendorError as a create call would */
  async checkToken(signal?: AbortSignal): Promise<void> {
    await this.#tokens.get(signal);
  }

  /**
   * One authenticated call that creates no one (npm run doctor): an empty batch. Any answer from
   * behind the gateway proves the token and scope; the gateway's refusals and 5xx are errors.
   * @returns the HTTP status the API answered
   */
  async checkAccess(signal?: AbortSignal): Promise<number> {
    const token = await this.#tokens.get(signal);
    return this.#send(token, '[]', signal, (res) => {
      if (parseGatewayError(res) !== null || res.status >= 500)
        throw apiFailure('create users', res, this.#opts.clock.now());
      return res.status;
    });
  }

  /** Release the connection pool. */
  async close(): Promise<void> {
    await this.#http.close();
  }

  async #createBatch(batch: readonly CertUser[], signal?: AbortSignal): Promise<CreateUsersResult> {
    const body = JSON.stringify(batch.map((u) => this.#toWire(u)));
    const token = await this.#tokens.get(signal);
    const first = await this.#send(token, body, signal, (res) =>
      isRejectedToken(res) ? TOKEN_REJECTED : this.#readResults(res),
    );
    if (first !== TOKEN_REJECTED) return first;
    // The WSO2 gateway checks the token before it forwards anything, so a 401 with a 9009xx code
    // proves the backend never saw this batch: sending it again with a new token cannot duplicate.
    this.#tokens.invalidate(token);
    return this.#send(await this.#tokens.get(signal), body, signal, (res) => this.#readResults(res));
  }

  #send<T>(
    token: string,
    body: string,
    signal: AbortSignal | undefined,
    interpret: Interpret<T>,
  ): Promise<T> {
    const request = {
      operation: 'create users',
      method: 'POST' as const,
      url: this.#usersUrl,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body,
      signal,
    };
    return this.#http.call(request, interpret);
  }

  #readResults(res: VendorHttpResponse): CreateUsersResult {
    const parsed = mayCarryResults(res.status)
      ? createUsersResponseSchema.safeParse(parseJsonBody(res.body))
      : null;
    if (!parsed?.success) throw apiFailure('create users', res, this.#opts.clock.now());
    return {
      created: parsed.data.successResults.map((r) => ({
        username: r.username,
        id: r.id,
        action: r.action ?? 'Created',
      })),
      failed: parsed.data.failureResults.map((r) => ({ username: r.username, messages: r.messages })),
      statuses: [res.status],
    };
  }

  #toWire(user: CertUser): Record<string, unknown> {
    const { programAdminRoleId, ...rest } = user;
    return programAdminRoleId === undefined
      ? rest
      : { ...rest, [this.#opts.programAdminField]: programAdminRoleId };
  }
}

/** 200 when every user was created; 400 (or another 2xx/4xx) when some were refused. */
const mayCarryResults = (status: number) =>
  (status >= 200 && status < 300) || status === 400 || status === 409;

function afterEarlierBatches(e: VendorError, alreadySent: number): VendorError {
  return withChanges(e, {
    message: `${e.message} (after ${alreadySent} users in earlier batches were sent)`,
    requestSent: true,
  });
}
