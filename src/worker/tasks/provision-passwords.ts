/**
 * Users' initial passwords for the create call (issue 8 §3). Generated ones are made just before the
 * first create call and held sealed BEFORE it goes out, so a re-send after an ambiguous attempt
 * carries the same passwords; after success they are handed to the requester through Reveal.
 */
import { z } from 'zod';
import type { AccessRequest, Json } from '../../domain/request.ts';
import { VendorError } from '../../errors.ts';
import type { VendorEntry } from '../../flows/deps.ts';
import { generatePassword } from '../../secrets/password-generator.ts';
import type { ItemResult } from '../../vendors/provisioner.ts';
import type { TaskContext } from './task-context.ts';

const heldSchema = z.record(z.string(), z.string());

/** Held until the request is final; the final transition deletes them (see SqlStore.transition). */
const HELD_MS = 30 * 24 * 3_600_000;

export interface CreatePayload {
  payload: Json;
  /** User name → password the bot generated, to reveal once the users exist; null when typed or none. */
  generated: Readonly<Record<string, string>> | null;
}

export async function createPayload(
  ctx: TaskContext,
  entry: VendorEntry,
  req: AccessRequest,
): Promise<CreatePayload> {
  const pw = entry.provisioner.passwords;
  const users = pw?.users(req.payload) ?? [];
  if (!pw || users.length === 0) return { payload: req.payload, generated: null };
  const now = ctx.clock.now();
  const raw = await ctx.store.readSecret(req.id, 'passwords', now);
  const held: Record<string, string> = raw === null ? {} : heldSchema.parse(JSON.parse(raw));
  const missing = users.filter((u) => held[u] === undefined);
  if (missing.length > 0 && pw.mode === 'typed') {
    throw new VendorError({
      vendor: entry.provisioner.id,
      kind: 'validation',
      message: `The initial password typed for ${missing.join(', ')} is no longer held (it is deleted after 30 days); submit the request again.`,
    });
  }
  if (missing.length > 0) {
    for (const u of missing) held[u] = generatePassword();
    await ctx.store.putSecret(
      req.id,
      req.requesterId,
      JSON.stringify(held),
      new Date(now.getTime() + HELD_MS),
      'passwords',
    );
    ctx.log.info({ requestId: req.id, users: missing.length }, 'initial passwords generated');
  }
  return { payload: pw.join(req.payload, held), generated: pw.mode === 'generate' ? held : null };
}

export interface Reveal {
  label: string;
  value: string;
}

/**
 * What the requester reveals once: the generated passwords of the users the vendor created, the
 * vendor's own credential (a new API user's AUTHTOKEN), or both in one modal.
 */
export function revealOf(
  vendorSecret: Reveal | undefined,
  generated: Readonly<Record<string, string>> | null,
  items: readonly ItemResult[] | undefined,
): Reveal | null {
  const passwords = generated ? generatedReveal(generated, items) : null;
  if (!passwords || !vendorSecret) return passwords ?? vendorSecret ?? null;
  return {
    label: `${passwords.label} and ${vendorSecret.label}`,
    value: `${passwords.value}\n\n${vendorSecret.label}\n${vendorSecret.value}`,
  };
}

/**
 * The reveal text for the users the vendor created: a `username,password` block (a header line,
 * then one line per user), so a batch can be copied as CSV.
 */
function generatedReveal(
  generated: Readonly<Record<string, string>>,
  items: readonly ItemResult[] | undefined,
): Reveal | null {
  const created = items ? new Set(items.filter((i) => i.ok).map((i) => i.subject)) : null;
  const rows = Object.entries(generated).filter(([user]) => created === null || created.has(user));
  if (rows.length === 0) return null;
  return {
    label: rows.length === 1 ? 'initial password' : 'initial passwords',
    value: ['username,password', ...rows.map(([user, password]) => `${user},${password}`)].join('\n'),
  };
}
