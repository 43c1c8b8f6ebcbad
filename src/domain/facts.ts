/**
 * The vendor-neutral facts a request accumulates (kept as JSON in the store, parsed here once):
 * where it came from, what the pre-check found, how provisioning went. Views render from these.
 */
import { z } from 'zod';
import type { Json } from './request.ts';

/**
 * Vendor words kept as data: plain text, or an HTML fragment as PJM sends it. Only the Slack views
 * turn either into mrkdwn (escaped; HTML links kept only for http/https).
 */
export const vendorTextSchema = z.union([z.string(), z.strictObject({ html: z.string() })]);
export type VendorText = z.infer<typeof vendorTextSchema>;

const itemSchema = z.object({
  subject: z.string(),
  ok: z.boolean(),
  id: z.string().optional(),
  messages: z.array(z.string()),
});

/** Where a batch came from: the file, its rows, and how many rows with faults the requester left out. */
const bulkSourceSchema = z.object({
  /** Slack's file id: the same file is not requested twice. */
  fileId: z.string().optional(),
  fileName: z.string(),
  rows: z.number().int(),
  dropped: z.number().int(),
});
export type BulkSource = z.infer<typeof bulkSourceSchema>;

/** A batch sent in several create calls: what each finished call returned (so none is sent twice). */
const partsSchema = z.object({
  /** How many create calls the batch takes. */
  count: z.number().int(),
  /** Results of the calls that returned, by call index. */
  done: z.record(z.string(), z.array(itemSchema)),
});

export const factsSchema = z.object({
  bulkSource: bulkSourceSchema.optional(),
  parts: partsSchema.optional(),
  /** Channel the /newuser command was typed in (for the requester's ephemeral link). */
  originChannel: z.string().optional(),
  /** The requester's answer to "Why is this needed?": approved with the payload, never sent to the vendor. */
  justification: z.string().optional(),
  /**
   * The modal's values as typed, secret fields left out, so Edit reopens the form filled in.
   * Absent for bulk requests (not editable).
   */
  form: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  /** The requester's last edit: when, and how many approvals of the earlier version it reset. */
  edited: z.object({ at: z.string(), approvalsReset: z.number().int().min(0) }).optional(),
  precheck: z
    .object({ state: z.enum(['exists', 'absent', 'unknown']), notes: z.array(vendorTextSchema) })
    .optional(),
  /** Provisioning progress shown on the card: attempt number and why the last one did not finish. */
  progress: z.object({ attempt: z.number().int(), note: z.string() }).optional(),
  outcome: z
    .object({
      kind: z.enum(['done', 'rejected', 'attention', 'exists']),
      /** The vendor's short words for a success ("Created in PAM360"), shown instead of "Done". */
      label: z.string().optional(),
      /** Plain text; the views format and escape it. */
      headline: z.string(),
      lines: z.array(vendorTextSchema),
      items: z.array(itemSchema).optional(),
    })
    .optional(),
  /** Set when a create call may have reached the vendor without a known result. */
  ambiguousSubmit: z.boolean().optional(),
  denyReason: z.string().optional(),
  /** Hours-after-submission reminders already posted. */
  remindersSent: z.array(z.number()).optional(),
  /** A secret waits for the requester to reveal (PAM360 AUTHTOKEN); never the secret itself. */
  secretLabel: z.string().optional(),
  /** ISO time after which the waiting secret is deleted unrevealed. */
  secretExpiresAt: z.string().optional(),
});

export type Facts = z.infer<typeof factsSchema>;
export type Outcome = NonNullable<Facts['outcome']>;

/** Facts from the store; unknown or malformed keys are dropped rather than trusted. */
export function readFacts(raw: Json): Facts {
  const parsed = factsSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** Facts as a JSON patch for Store.transition (drops undefined values). */
export function factsPatch(patch: Partial<Facts>): Record<string, Json> {
  return JSON.parse(JSON.stringify(patch)) as Record<string, Json>;
}
