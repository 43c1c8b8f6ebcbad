/**
 * Every view renderer, fed hostile text in every field it takes (typed by a requester or returned by
 * a vendor), emits no Slack control sequence the template did not write, and stays within Slack's
 * limits. Ids, dates and permalinks are the bot's own; everything else is hostile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../../../../src/domain/facts.ts';
import { type AccessRequest, type Approval, REQUEST_STATUSES } from '../../../../src/domain/request.ts';
import { NotAllowedError, TransitionConflictError } from '../../../../src/errors.ts';
import { explainRequest } from '../../../../src/flows/explain-request.ts';
import {
  renderCredentialsModal,
  renderRevealRetryText,
} from '../../../../src/slack/views/credentials-modal.ts';
import { renderDenyReasonModal } from '../../../../src/slack/views/deny-reason-modal.ts';
import { renderExplanation } from '../../../../src/slack/views/explain.ts';
import { renderFormTooLate, renderHelp } from '../../../../src/slack/views/help.ts';
import { renderHomeTab } from '../../../../src/slack/views/home-tab.ts';
import {
  renderLookupError,
  renderLookupResult,
  renderLookupUsage,
} from '../../../../src/slack/views/lookup-result.ts';
import {
  renderDecisionReply,
  renderNoteReply,
  renderOutcomeReply,
  renderRequesterDm,
  renderSecretDm,
  renderSubmittedNotice,
} from '../../../../src/slack/views/messages.ts';
import {
  renderBulkModal,
  renderNewUserModal,
  renderVendorPicker,
} from '../../../../src/slack/views/newuser-modal.ts';
import { renderPayloadModal } from '../../../../src/slack/views/payload-modal.ts';
import { refusalText } from '../../../../src/slack/views/refusal.ts';
import { renderRequestCard } from '../../../../src/slack/views/request-card.ts';
import { renderSecretModal } from '../../../../src/slack/views/token-modal.ts';
import type { FormField, LookupResult, PayloadDescription } from '../../../../src/vendors/provisioner.ts';
import { ViewSchema } from '../../../fakes/fake-slack/block-kit-schemas.ts';
import { checkMessage, checkView } from '../../../fakes/fake-slack/slack-limits.ts';
import { hostile } from '../../../support/hostile.ts';
import { leaksIn } from '../../../support/slack-control.ts';

const IDS = {
  userIds: ['UREQ1', 'UAPP1'],
  groupIds: ['SGRP1'],
  urlPrefixes: ['https://fake.slack.example/archives/'],
};
const POLICY = {
  approvers: ['UAPP1'],
  approverGroups: ['SGRP1'],
  requiredApprovals: 2,
  allowSelfApproval: false,
};
const LINK = 'https://fake.slack.example/archives/C1/p1';
const AT = new Date('2026-12-01T10:00:00Z');

const h = hostile();
const vendorText = fc.oneof(
  h,
  h.map((html) => ({ html })),
);
const status = fc.constantFrom(...REQUEST_STATUSES);
const line = fc.record({ label: h, value: h, secret: fc.boolean() });
const lines = fc.array(line, { maxLength: 14 });
const description: fc.Arbitrary<PayloadDescription> = fc.record(
  {
    subject: h,
    lines,
    rows: fc.array(fc.record({ subject: h, lines }), { minLength: 1, maxLength: 45 }),
    privileges: fc.array(fc.record({ label: h, holders: fc.array(h, { minLength: 1, maxLength: 8 }) }), {
      maxLength: 12,
    }),
  },
  { requiredKeys: ['subject', 'lines'] },
);
const items = fc.array(
  fc.record({ subject: h, ok: fc.boolean(), id: h, messages: fc.array(h, { maxLength: 3 }) }),
  { maxLength: 70 },
);
const outcome = fc.record({
  kind: fc.constantFrom('done', 'rejected', 'attention', 'exists' as const),
  label: h,
  headline: h,
  lines: fc.array(vendorText, { maxLength: 5 }),
  items,
});
const facts: fc.Arbitrary<Facts> = fc.record(
  {
    precheck: fc.record({
      state: fc.constantFrom('exists', 'absent', 'unknown' as const),
      notes: fc.array(vendorText, { maxLength: 4 }),
    }),
    progress: fc.record({ attempt: fc.nat(9), note: h }),
    outcome,
    justification: h,
    form: fc.constant({ f0: 'x' }),
    edited: fc.record({ at: fc.constant(AT.toISOString()), approvalsReset: fc.nat(3) }),
  },
  { requiredKeys: [] },
);
const approval = (decision: 'approve' | 'deny'): fc.Arbitrary<Approval> =>
  fc.record({ reason: fc.option(h) }).map(({ reason }) => ({
    requestId: 'r1',
    approverId: 'UAPP1',
    decision,
    reason,
    payloadHash: 'a'.repeat(64),
    decidedAt: AT,
  }));
const DENIAL: Approval = {
  requestId: 'r1',
  approverId: 'UAPP1',
  decision: 'deny',
  reason: null,
  payloadHash: 'a'.repeat(64),
  decidedAt: AT,
};
const approvals = fc.array(fc.oneof(approval('approve'), approval('deny')), { maxLength: 4 });
const request = status.map(
  (s): AccessRequest => ({
    id: 'r1',
    vendor: 'cert',
    requesterId: 'UREQ1',
    teamId: 'T1',
    payload: {},
    payloadHash: 'a'.repeat(64),
    status: s,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    card: null,
    facts: {},
  }),
);
const lookupResult: fc.Arbitrary<LookupResult> = fc.record(
  {
    users: fc.array(
      fc.record({
        title: h,
        lines: fc.array(fc.record({ label: h, value: h }), { maxLength: 5 }),
        accounts: fc.array(h, { maxLength: 3 }),
      }),
      { maxLength: 12 },
    ),
    truncatedNote: h,
  },
  { requiredKeys: ['users'] },
);
const formFields: fc.Arbitrary<FormField[]> = fc
  .array(
    fc.oneof(
      fc.record({
        kind: fc.constant('text' as const),
        id: fc.constant('f1'),
        label: h,
        hint: h,
        placeholder: h,
      }),
      fc.record({
        kind: fc.constant('select' as const),
        id: fc.constant('f2'),
        label: h,
        options: fc.array(fc.record({ value: h, label: h }), { minLength: 1, maxLength: 5 }),
      }),
    ),
    { maxLength: 6 },
  )
  .map((fields) => fields.map((f, i) => ({ ...f, id: `f${i}` })));

/** Each renderer as (hostile input) → surface, with whether it is a message or a view. */
const RENDERERS: Record<string, fc.Arbitrary<{ kind: 'message' | 'view'; surface: unknown }>> = {
  requestCard: fc.record({ request, facts, vendorName: h, description, approvals }).map((i) => ({
    kind: 'message',
    surface: renderRequestCard({ ...i, policy: POLICY, expiresAt: AT }),
  })),
  decisionReply: fc
    .tuple(fc.oneof(approval('approve'), approval('deny')), status)
    .map(([a, s]) => ({ kind: 'message', surface: renderDecisionReply(a, 1, 2, s) })),
  noteReply: fc
    .record({ text: h, by: fc.constantFrom(undefined, 'UAPP1'), toApprovers: fc.boolean() })
    .map((n) => ({
      kind: 'message',
      surface: renderNoteReply(
        { type: 'note', text: n.text, ...(n.by ? { by: n.by } : {}), toApprovers: n.toApprovers },
        POLICY,
      ),
    })),
  outcomeReply: fc
    .tuple(h, status, outcome)
    .map(([v, s, o]) => ({ kind: 'message', surface: renderOutcomeReply(v, s, o) })),
  requesterDm: fc
    .record({
      vendorName: h,
      subject: h,
      status,
      outcome,
      denyReason: h,
      cardLink: fc.constantFrom(LINK, null),
    })
    .map((n) => ({
      kind: 'message',
      surface: renderRequesterDm({ ...n, deniedBy: 'UAPP1' }),
    })),
  secretDm: fc.tuple(h, h).map(([s, l]) => ({ kind: 'message', surface: renderSecretDm('r1', s, l, AT) })),
  submittedNotice: fc
    .tuple(h, h, fc.constantFrom(LINK, null))
    .map(([s, v, l]) => ({ kind: 'message', surface: renderSubmittedNotice(s, v, l) })),
  homeTab: fc
    .array(fc.record({ request, vendorName: h, subject: h, link: fc.constantFrom(LINK, null) }), {
      maxLength: 20,
    })
    .map((rows) => ({
      kind: 'view',
      surface: renderHomeTab({ mine: rows, awaiting: rows, attention: rows, notice: 'x' }),
    })),
  lookupResult: fc
    .tuple(h, h, lookupResult)
    .map(([v, q, r]) => ({ kind: 'message', surface: renderLookupResult(v, q, r) })),
  lookupError: h.map((r) => ({ kind: 'message', surface: renderLookupError(r) })),
  lookupUsage: fc.array(h, { maxLength: 3 }).map((v) => ({ kind: 'message', surface: renderLookupUsage(v) })),
  help: fc
    .record({
      names: fc.array(h, { minLength: 1, maxLength: 3 }),
      extra: fc.array(h, { maxLength: 2 }),
      unknown: h,
    })
    .map((x) => ({
      kind: 'message',
      surface: renderHelp(
        x.names.map((displayName) => ({ id: 'cert', displayName })),
        x.extra,
        x.extra,
        x.unknown,
      ),
    })),
  formTooLate: h.map((text) => ({ kind: 'message', surface: renderFormTooLate('/newuser', text) })),
  denyReasonModal: h.map((s) => ({ kind: 'view', surface: renderDenyReasonModal('r1', 'a'.repeat(64), s) })),
  secretModal: fc.tuple(h, h, h).map(([l, s, v]) => ({ kind: 'view', surface: renderSecretModal(l, s, v) })),
  credentialsModal: fc
    .tuple(h, h, fc.array(h, { maxLength: 30 }))
    .map(([l, s, v]) => ({ kind: 'view', surface: renderCredentialsModal(l, s, v.join('\n')) })),
  revealRetry: h.map((l) => ({ kind: 'message', surface: { text: renderRevealRetryText(l) } })),
  payloadModal: fc.tuple(h, description, fc.nat(30)).map(([v, d, page]) => ({
    kind: 'view',
    surface: renderPayloadModal({
      requestId: 'r1',
      vendorName: v,
      description: d,
      payloadHash: 'a'.repeat(64),
      page,
    }),
  })),
  refusal: fc.tuple(h, status).map(([reason, s]) => ({
    kind: 'message',
    surface: {
      text: [
        refusalText(new NotAllowedError(reason, { users: ['UAPP1'], groups: ['SGRP1'] })),
        refusalText(new TransitionConflictError({ status: s, version: 2 }, 'UAPP1')),
      ].join('\n'),
    },
  })),
  explanation: fc
    .record({ request, facts, reason: h, vendorName: h, subject: h, detail: fc.boolean() })
    .map((i) => {
      const explanation = explainRequest({
        request: { ...i.request, facts: JSON.parse(JSON.stringify(i.facts)) },
        approvals: [{ ...DENIAL, reason: i.reason }],
        entry: { policy: POLICY, expireAfterHours: 72, remindAfterHours: [24] },
        adminUsers: [],
        viewer: { userId: 'UREQ1', teamId: 'T1', groups: [] },
      })!;
      return {
        kind: 'message',
        surface: renderExplanation({ ...i, explanation, cardLink: LINK }),
      };
    }),
  newUserModals: fc.tuple(h, formFields, h, h).map(([name, fields, header, typed]) => ({
    kind: 'view',
    surface: [
      renderNewUserModal({ id: 'cert', displayName: name }, fields, { vendor: 'cert', channel: 'C1' }),
      renderNewUserModal(
        { id: 'cert', displayName: name },
        fields,
        { vendor: 'cert', edit: 'r1' },
        Object.fromEntries(fields.map((f) => [f.id, typed])),
      ),
      renderBulkModal({ id: 'cert', displayName: name }, header, { vendor: 'cert', channel: 'C1' }),
      renderVendorPicker([{ id: 'cert', displayName: name }], 'C1'),
    ],
  })),
};

function limitIssues(kind: 'message' | 'view', surface: unknown): unknown[] {
  const surfaces = Array.isArray(surface) ? surface : [surface];
  return surfaces.flatMap((s) =>
    kind === 'view' ? checkView(ViewSchema.parse(s)) : checkMessage(s as Parameters<typeof checkMessage>[0]),
  );
}

describe('every view renderer, fed hostile text in every field', () => {
  for (const [name, arbitrary] of Object.entries(RENDERERS)) {
    it(`${name}: no control sequence the template did not write, and within Slack's limits`, () => {
      fc.assert(
        fc.property(arbitrary, ({ kind, surface }) => {
          expect(leaksIn(surface, IDS)).toEqual([]);
          expect(limitIssues(kind, surface)).toEqual([]);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('the scan itself sees an unescaped broadcast and a foreign mention', () => {
    expect(
      leaksIn(
        { text: 'hi <!channel>', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<@U123>' } }] },
        IDS,
      ),
    ).toEqual(['<!channel>', '<@U123>']);
    expect(
      leaksIn(
        { text: `<@UAPP1> <${LINK}|card> <!date^1^{date_short_pretty} {time}|2026-12-01T10:00:00.000Z>` },
        IDS,
      ),
    ).toEqual([]);
  });
});
