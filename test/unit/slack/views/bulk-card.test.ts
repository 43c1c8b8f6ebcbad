/** A batch card summarises every privilege it grants; "View all" shows every row and field, paged. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessRequest, Json } from '../../../../src/domain/request.ts';
import type { View } from '../../../../src/slack/slack-gateway.ts';
import { ACTION } from '../../../../src/slack/views/ids.ts';
import { readPayloadPageValue, renderPayloadModal } from '../../../../src/slack/views/payload-modal.ts';
import { renderRequestCard } from '../../../../src/slack/views/request-card.ts';
import { describeCertPayload } from '../../../../src/vendors/certification/certification-describe.ts';
import { ViewSchema } from '../../../fakes/fake-slack/block-kit-schemas.ts';
import { checkMessage, checkView } from '../../../fakes/fake-slack/slack-limits.ts';
import { hostile } from '../../../support/hostile.ts';
import { leaksIn, mrkdwnTexts } from '../../../support/slack-control.ts';
import { payloadOf, user } from '../../vendors/certification/cert-harness.ts';

const AT = new Date('2026-12-01T10:00:00Z');
const N = 130;
const ADMIN = 77;
const noAccess = {
  r2RAdmin: false,
  r2REnabled: false,
  accessClose: false,
  r2RReadOnly: false,
  accessCompliance: false,
};
const users = Array.from({ length: N }, (_, i) =>
  i + 1 === ADMIN
    ? user(i + 1, { userAccess: { ...noAccess, r2RAdmin: true } })
    : user(i + 1, { userAccess: noAccess }),
);
const payload: Json = payloadOf(...users);
const request: AccessRequest = {
  id: 'r1',
  vendor: 'cert',
  requesterId: 'UREQ1',
  teamId: 'T1',
  payload,
  payloadHash: 'b'.repeat(64),
  status: 'PENDING',
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  card: null,
  facts: {},
};
const description = describeCertPayload(payload);
const buttons = (surface: unknown): { action_id: string; value: string }[] =>
  JSON.stringify(surface)
    .match(/\{"type":"button"[^{}]*(\{[^{}]*\}[^{}]*)*\}/g)
    ?.map((b) => JSON.parse(b) as { action_id: string; value: string }) ?? [];

describe('a Certification batch card', () => {
  const card = renderRequestCard({
    request,
    facts: {},
    vendorName: 'Certification',
    description,
    approvals: [],
    policy: { approvers: ['UAPP1'], approverGroups: [], requiredApprovals: 1, allowSelfApproval: false },
    expiresAt: AT,
  });

  it('names the one admin flag granted and the one user holding it', () => {
    const line = mrkdwnTexts(card)
      .flatMap((t) => t.split('\n'))
      .find((l) => l.includes('R2R admin'));
    expect(line).toBe(`• *Access: R2R admin* — 1 user: testuser${ADMIN}`);
    expect(checkMessage(card as Parameters<typeof checkMessage>[0])).toEqual([]);
  });

  it('says which file the batch came from and how many rows the requester left out, escaped', () => {
    fc.assert(
      fc.property(hostile(), fc.nat(10_000), (fileName, dropped) => {
        const fromFile = renderRequestCard({
          request,
          facts: { bulkSource: { fileName, rows: N + dropped, dropped } },
          vendorName: 'Certification',
          description,
          approvals: [],
          policy: {
            approvers: ['UAPP1'],
            approverGroups: [],
            requiredApprovals: 1,
            allowSelfApproval: false,
          },
          expiresAt: AT,
        });
        expect(leaksIn(fromFile, { userIds: ['UREQ1', 'UAPP1'], groupIds: [], urlPrefixes: [] })).toEqual([]);
        expect(checkMessage(fromFile as Parameters<typeof checkMessage>[0])).toEqual([]);
        const line = mrkdwnTexts(fromFile).find((t) => t.includes('*From file:*')) ?? '';
        expect(line).toContain(dropped > 0 ? `${dropped.toLocaleString('en-US')} row` : 'every row passed');
      }),
      { numRuns: 40 },
    );
  });

  it('offers "View all N users" before anyone can approve', () => {
    const view = buttons(card).find((b) => b.action_id === ACTION.viewPayload);
    expect(view).toBeDefined();
    expect(JSON.stringify(card)).toContain(`View all ${N} users`);
    expect(buttons(card).some((b) => b.action_id === ACTION.approve)).toBe(true);
  });

  it('the modal shows every row and every field, page by page, within 100 blocks', () => {
    const seen: string[] = [];
    let page: number | undefined = 0;
    let pages = 0;
    while (page !== undefined) {
      const modal: View = renderPayloadModal({
        requestId: 'r1',
        vendorName: 'Certification',
        description,
        payloadHash: request.payloadHash,
        page,
      });
      expect(checkView(ViewSchema.parse(modal))).toEqual([]);
      const text = mrkdwnTexts(modal.blocks).join('\n');
      seen.push(...[...text.matchAll(/^\*(testuser\d+)\*$/gm)].map((m) => m[1] ?? ''));
      for (const label of ['User name', 'Password', 'Name', 'Display name', 'E-mail', 'Access', 'Locked out'])
        expect(text).toContain(`*${label}:*`);
      expect(text).not.toMatch(/Password\d+!/);
      expect(text).toContain(request.payloadHash.slice(0, 12));
      const next = buttons(modal).find(
        (b) => b.action_id === ACTION.payloadPage && JSON.parse(b.value).p > page!,
      );
      page = next ? readPayloadPageValue(next.value).p : undefined;
      pages++;
    }
    expect(seen).toEqual(users.map((u) => u.userName));
    expect(pages).toBe(Math.ceil(N / 40));
  });
});
