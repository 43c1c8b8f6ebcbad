/**
 * Approvers see everything they approve. For each vendor, every leaf of the stored payload (read
 * off the vendor's own zod schema, so a new field cannot slip past) changes what the approver sees
 * when it changes: the single-user card for all three, and the "View all" modal for a batch. Secret
 * leaves show only the mask.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AccessRequest, Json } from '../../../../src/domain/request.ts';
import { renderPayloadModal } from '../../../../src/slack/views/payload-modal.ts';
import { renderRequestCard } from '../../../../src/slack/views/request-card.ts';
import { describeCertPayload } from '../../../../src/vendors/certification/certification-describe.ts';
import { certUserSchema } from '../../../../src/vendors/certification/certification-schemas.ts';
import { describePam360Payload } from '../../../../src/vendors/pam360/pam360-describe.ts';
import { pam360UserDetailsSchema } from '../../../../src/vendors/pam360/pam360-schemas.ts';
import { describePjmPayload } from '../../../../src/vendors/pjm/pjm-describe.ts';
import { PJM_EMPLOYED_AS, pjmRegistrationSchema } from '../../../../src/vendors/pjm/pjm-schemas.ts';
import type { PayloadDescription } from '../../../../src/vendors/provisioner.ts';

type Schema = z.ZodType & { def: { type: string }; shape?: Record<string, Schema>; unwrap?: () => Schema };

/** Pairs of different values; the first pair a field's schema accepts is used for it. */
const CANDIDATES: [Json, Json][] = [
  ['alpha-a', 'beta-b'],
  ['a@example.com', 'b@example.com'],
  ['2027-01-01', '2027-02-02'],
  [3, 4],
  [true, false],
  [PJM_EMPLOYED_AS[0], PJM_EMPLOYED_AS[1]],
  [['alpha-a'], ['beta-b']],
  [[{ type: 'Certification', value: 'Reconciler' }], [{ type: 'Close', value: 'Approver' }]],
];

const SECRET_KEYS = new Set(['password', 'PASSWORD']);
/** Secret values, valid for every vendor's password rule, that must never be shown. */
const SECRETS: [Json, Json] = ['Hidden12!', 'Hidden34$'];

/** Two full payloads that differ in every leaf, built from the schema. */
function pair(schema: Schema, key = ''): [Json, Json] {
  if (SECRET_KEYS.has(key)) return SECRETS;
  const inner = schema.def.type === 'optional' && schema.unwrap ? schema.unwrap() : schema;
  if (inner.shape) {
    const a: Record<string, Json> = {};
    const b: Record<string, Json> = {};
    for (const [k, field] of Object.entries(inner.shape)) [a[k], b[k]] = pair(field, k);
    return [a, b];
  }
  const found = CANDIDATES.find(([x, y]) => inner.safeParse(x).success && inner.safeParse(y).success);
  if (!found) throw new Error('no candidate values fit this field: add a pair to CANDIDATES');
  return found;
}

/** Every leaf path of a fixture (arrays count as one leaf). */
function leaves(value: Json, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [path];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
}

function withLeaf(a: Json, b: Json, path: string[]): Json {
  const [head, ...rest] = path;
  if (head === undefined) return b;
  const ao = a as Record<string, Json>;
  return { ...ao, [head]: withLeaf(ao[head] ?? null, (b as Record<string, Json>)[head] ?? null, rest) };
}

const AT = new Date('2026-12-01T10:00:00Z');
const request: AccessRequest = {
  id: 'r1',
  vendor: 'cert',
  requesterId: 'UREQ1',
  teamId: 'T1',
  payload: {},
  payloadHash: 'a'.repeat(64),
  status: 'PENDING',
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  card: null,
  facts: {},
};
const card = (description: PayloadDescription) =>
  JSON.stringify(
    renderRequestCard({
      request,
      facts: {},
      vendorName: 'Vendor',
      description,
      approvals: [],
      policy: { approvers: ['UAPP1'], approverGroups: [], requiredApprovals: 1, allowSelfApproval: false },
      expiresAt: AT,
    }),
  );
const modal = (description: PayloadDescription) =>
  JSON.stringify(
    renderPayloadModal({
      requestId: 'r1',
      vendorName: 'V',
      description,
      payloadHash: 'a'.repeat(64),
      page: 0,
    }),
  );

const VENDORS = [
  { name: 'PJM', schema: pjmRegistrationSchema, wrap: (u: Json): Json => u, describe: describePjmPayload },
  {
    name: 'PAM360',
    schema: pam360UserDetailsSchema,
    wrap: (u: Json): Json => ({ operation: { Details: u } }),
    describe: describePam360Payload,
  },
  {
    name: 'Certification',
    schema: certUserSchema,
    wrap: (u: Json): Json => ({ users: [u] }),
    describe: describeCertPayload,
  },
] as const;

describe('every payload field has a line the approver sees', () => {
  for (const v of VENDORS) {
    it(`${v.name}: each leaf of the single-user payload changes the card; secrets show only the mask`, () => {
      const [a, b] = pair(v.schema as unknown as Schema);
      const shown = card(v.describe(v.wrap(a)));
      const paths = leaves(a);
      expect(paths.length).toBeGreaterThan(5);
      for (const path of paths) {
        const key = path.at(-1) ?? '';
        const variant = card(v.describe(v.wrap(withLeaf(a, b, path))));
        if (SECRET_KEYS.has(key)) {
          expect(shown, path.join('.')).toContain('••••••••');
          expect(shown + variant).not.toMatch(/Hidden\d\d/);
        } else expect(variant, `${path.join('.')} is not on the card`).not.toBe(shown);
      }
    });
  }

  it('Certification batch: each leaf of any user changes the "View all" modal', () => {
    const [a, b] = pair(certUserSchema as unknown as Schema);
    const batch = (second: Json) =>
      describeCertPayload({ users: [a, second, { ...(a as object), userName: 'third' }] });
    const shown = modal(batch(a));
    for (const path of leaves(a)) {
      if (SECRET_KEYS.has(path.at(-1) ?? '')) continue;
      expect(modal(batch(withLeaf(a, b, path))), `${path.join('.')} is not in the modal`).not.toBe(shown);
    }
    expect(shown).not.toMatch(/Hidden\d\d/);
  });
});
