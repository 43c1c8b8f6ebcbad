/**
 * The bulk-file surfaces (preview modal and DM message, the follow-ups, the file comments), fed hostile file names, faults and labels: no Slack control sequence the template did
 * not write, and within Slack's limits even for 10,000 faults. And where generated passwords go.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  renderBulkFileRefused,
  renderBulkNotSavedModal,
  renderBulkPreviewMessage,
  renderBulkPreviewModal,
  renderBulkRequestedMessage,
} from '../../../../src/slack/views/bulk-preview.ts';
import { credentialsFitModal } from '../../../../src/slack/views/credentials-modal.ts';
import {
  auditFileComment,
  errorReportComment,
  passwordsFileComment,
  resultsFileComment,
  templateComment,
} from '../../../../src/slack/views/file-comments.ts';
import { ViewSchema } from '../../../fakes/fake-slack/block-kit-schemas.ts';
import { checkMessage, checkView } from '../../../fakes/fake-slack/slack-limits.ts';
import { hostile } from '../../../support/hostile.ts';
import { leaksIn } from '../../../support/slack-control.ts';

const IDS = { userIds: ['UREQ1', 'UAPP1'], groupIds: [], urlPrefixes: [] };
const h = hostile();

const fault = fc.record({ row: fc.nat(10_001), field: h, message: h, value: h });
const preview = fc.record({
  vendorName: h,
  fileName: h,
  total: fc.nat(10_000),
  good: fc.nat(10_000),
  badRows: fc.nat(10_000),
  faults: fc.array(fault, { maxLength: 30 }),
  vendorCanTell: fc.boolean(),
});

const clean = (surface: unknown, kind: 'message' | 'view') => {
  expect(leaksIn(surface, IDS)).toEqual([]);
  const issues =
    kind === 'view'
      ? checkView(ViewSchema.parse(surface))
      : checkMessage(surface as Parameters<typeof checkMessage>[0]);
  expect(issues).toEqual([]);
};

describe('bulk file surfaces, fed hostile text', () => {
  it('the preview modal and DM message', () => {
    fc.assert(
      fc.property(preview, (p) => {
        clean(renderBulkPreviewModal(p, { vendor: 'cert', file: 'F0123', channel: 'C1' }), 'view');
        clean(renderBulkPreviewMessage(p, 'cert', 'F0123'), 'message');
      }),
      { numRuns: 80 },
    );
  });

  it('the follow-ups and every file comment', () => {
    fc.assert(
      fc.property(h, h, fc.nat(10_000), (a, b, n) => {
        clean(renderBulkRequestedMessage(a, n, n), 'message');
        clean(renderBulkFileRefused(a, b), 'message');
        clean(renderBulkNotSavedModal(a), 'view');
        for (const text of [
          resultsFileComment(a, b),
          errorReportComment(a, n, n),
          auditFileComment(n + 1, a, n),
          passwordsFileComment(a),
          templateComment({ id: 'cert', displayName: a }, [{ kind: 'text', id: b, label: a, hint: b }], n),
        ])
          clean({ text }, 'message');
      }),
      { numRuns: 60 },
    );
  });
});

describe('generated passwords of a batch', () => {
  const block = (n: number) =>
    ['username,password', ...Array.from({ length: n }, (_, i) => `user${i}.name,Abcdefgh2345$%&*kmnp`)].join(
      '\n',
    );

  it('up to thousands fit the Reveal modal; 10,000 go to the requester as a file instead', () => {
    expect(credentialsFitModal(block(1_000))).toBe(true);
    expect(credentialsFitModal(block(5_000))).toBe(true);
    expect(credentialsFitModal(block(10_000))).toBe(false);
  });
});
