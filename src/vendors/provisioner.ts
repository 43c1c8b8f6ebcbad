/**
 * The one interface the rest of the bot uses to talk to a vendor. Outside src/vendors/<vendor>/ no
 * file knows a vendor's wire format. Everything here is vendor-neutral and free of Slack types:
 * the Slack layer turns FormField into Block Kit and the outcome lines into messages.
 *
 * Every string a provisioner returns is plain text or data — never mrkdwn. Only src/slack/views/
 * formats, masks and escapes (a vendor's `<!channel>` must stay text).
 */

import type { CheckResult } from '../domain/check-result.ts';
import type { VendorText } from '../domain/facts.ts';
import type { Json, VendorId } from '../domain/request.ts';

export type { VendorText } from '../domain/facts.ts';

/** A modal field, described without Block Kit. `id` is also the key in FormValues. */
export type FormField =
  | {
      kind: 'text';
      id: string;
      label: string;
      optional?: boolean;
      hint?: string;
      placeholder?: string;
      maxLength?: number;
      multiline?: boolean;
      /** Shown masked on the approval card, never echoed back. */
      secret?: boolean;
      /** No two users of one batch may share it (compared case-insensitively). */
      unique?: boolean;
      /** A valid value for the bulk template's example row. */
      example?: string;
    }
  | {
      kind: 'email';
      id: string;
      label: string;
      optional?: boolean;
      hint?: string;
      unique?: boolean;
      example?: string;
    }
  /** A calendar day, as `yyyy-MM-dd` in FormValues (Slack's datepicker). */
  | { kind: 'date'; id: string; label: string; optional?: boolean; hint?: string }
  /** A whole number, as its decimal text in FormValues (Slack's number_input). */
  | {
      kind: 'number';
      id: string;
      label: string;
      optional?: boolean;
      hint?: string;
      min?: number;
      max?: number;
    }
  | {
      kind: 'select' | 'multiselect';
      id: string;
      label: string;
      options: readonly { value: string; label: string }[];
      optional?: boolean;
      hint?: string;
      initial?: string | readonly string[];
    }
  /** Yes/no switches, shown as one checkbox group; each checked option value is a true boolean. */
  | {
      kind: 'checkboxes';
      id: string;
      label: string;
      options: readonly { value: string; label: string }[];
      hint?: string;
    };

/** Raw modal values: text → string (or null when empty), selects → string, multi → string[]. */
export type FormValues = Record<string, string | readonly string[] | null | undefined>;

/** One labelled line of a payload, for the approval card (plain text). */
export interface PayloadLine {
  label: string;
  /** Empty when `secret`: the views show a mask instead, never the value. */
  value: string;
  secret?: boolean;
}

/** One user of a batch, every field of the payload as a line. */
export interface PayloadRow {
  subject: string;
  lines: PayloadLine[];
}

/** A privilege a batch grants (a role, an access flag, an admin role) and who receives it. */
export interface PrivilegeGrant {
  label: string;
  /** Subjects of every row holding it, in payload order. */
  holders: string[];
}

export interface PayloadDescription {
  /** Who is being created, short: "smithj (John Smith)". */
  subject: string;
  /** Every field of a single-user payload; for a batch, what the rows have in common (if anything). */
  lines: PayloadLine[];
  /** Batches: every row with every field, so the approver can see the whole payload. */
  rows?: PayloadRow[];
  /** Batches: every privilege granted, with its holders. */
  privileges?: PrivilegeGrant[];
}

export interface PrecheckResult {
  /**
   * exists: the vendor shows the user already; absent: provably not there; unknown: cannot tell
   * (lookup failed, or the vendor cannot show pending records).
   */
  state: 'exists' | 'absent' | 'unknown';
  /** Findings in plain text, e.g. "smithj already exists in Account Test Company, LLC". */
  notes: VendorText[];
}

/** One user's result in a batch (Certification). */
export interface ItemResult {
  subject: string;
  ok: boolean;
  /** Vendor id of the created user. */
  id?: string;
  /** The vendor's own words for a failure. */
  messages: string[];
}

export type SubmitOutcome =
  | {
      kind: 'done';
      /**
       * What happened, in a few words, where "Done" would mislead: "Created in PAM360", or PJM's
       * "Submitted — pending your Company Account Manager's approval". The status on the card and in the DM.
       */
      label: string;
      /** What the thread says after the label, in plain text, vendor's own words included. */
      headline: string;
      lines: VendorText[];
      items?: ItemResult[];
      /** A credential for the requester only (PAM360 AUTHTOKEN): never rendered, stored for reveal. */
      secret?: { label: string; value: string };
    }
  | {
      /** The vendor said no (validation, duplicate, …). Final: FAILED with its words. */
      kind: 'rejected';
      headline: string;
      messages: VendorText[];
      items?: ItemResult[];
    };

export interface LookupUser {
  /** e.g. "John Smith (smithj)". */
  title: string;
  lines: PayloadLine[];
  /** Accounts a user holds, one line each (PJM multi-account users). */
  accounts?: string[];
}

export interface LookupResult {
  users: LookupUser[];
  /** Set when the result was cut to fit, e.g. "showing 10 of 57". */
  truncatedNote?: string;
}

/**
 * How a create call may be repeated after an ambiguous failure:
 * - 'precheck': only when precheck() proves the user absent (PJM, PAM360);
 * - 'resubmit': the vendor refuses duplicates per user, so re-sending is safe (Certification).
 */
export type CreatePolicy = 'precheck' | 'resubmit';

/** What the worker durably knows about earlier create calls of this request. */
export interface SubmitAttempt {
  /** An earlier create call may have reached the vendor (the stored `ambiguousSubmit` fact). */
  resend: boolean;
}

/**
 * Users' initial passwords, held apart from the stored payload (issue 8 §3): the stored payload has
 * none, the create call gets them back. `generate`: nobody types one; the worker makes one per user
 * just before the first create call. `typed`: the requester typed them; they are held sealed.
 */
export interface UserPasswords {
  readonly mode: 'generate' | 'typed';
  /** A parsed form's payload → the payload to store (no passwords) and user name → typed password. */
  split(payload: Json): { payload: Json; passwords: Record<string, string> };
  /** User names of a stored payload whose create call needs a password put back. */
  users(payload: Json): string[];
  /** The create call's payload: the stored one with each user's password put back. */
  join(payload: Json, passwords: Readonly<Record<string, string>>): Json;
}

export interface Provisioner {
  readonly id: VendorId;
  /** "PJM Account Manager", "PAM360", "Certification". */
  readonly displayName: string;
  readonly createPolicy: CreatePolicy;
  /** The modal's fields, options from configuration. */
  formFields(): readonly FormField[];
  /**
   * Modal values → the exact vendor payload, validated with the vendor's own rules.
   * @throws ValidationError whose `fields` keys are FormField ids
   */
  parseForm(values: FormValues): Json;
  /**
   * Many users in one request (bulk CSV), one FormValues per row, validated row by row; absent when
   * the vendor has no batch create. @throws ValidationError keyed `row <n>: <field id>`
   */
  parseBulk?(rows: readonly FormValues[]): Json;
  /** Card lines for a stored payload (secrets masked). @throws ValidationError if not this vendor's payload */
  describe(payload: Json): PayloadDescription;
  /** Does the user already exist? Never throws for "not found"; throws VendorError on failure. */
  precheck(payload: Json, signal?: AbortSignal): Promise<PrecheckResult>;
  /**
   * Send the create call once. Returns done/rejected; throws VendorError for auth, throttle and
   * transport failures (then `requestSent` says whether the outcome is unknown).
   */
  submit(payload: Json, signal?: AbortSignal, attempt?: SubmitAttempt): Promise<SubmitOutcome>;
  /**
   * A batch larger than one create call takes: the payload of each call, in order (Certification:
   * at most 1000 users a call). Absent, or one part, when the batch fits one call.
   */
  parts?(payload: Json): Json[];
  /** The outcome of a batch sent in parts, from every user's result in payload order. */
  outcomeOf?(items: readonly ItemResult[]): SubmitOutcome;
  /** Present when the create call carries users' initial passwords. */
  readonly passwords?: UserPasswords;
  /** Answer /lookup; absent when the vendor has no lookup. */
  lookup?(query: string, signal?: AbortSignal): Promise<LookupResult>;
  /**
   * Try the vendor for real and change nothing (npm run doctor): sign in, one authenticated call,
   * sign out. Never throws: every step is a result, a failure with the fix naming the setting.
   */
  checkConnection(signal?: AbortSignal): Promise<CheckResult[]>;
  /** Release agents and sessions. */
  close(): Promise<void>;
}
