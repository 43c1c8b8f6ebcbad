import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../../src/domain/facts.ts';
import { REQUEST_STATUSES } from '../../../../src/domain/request.ts';
import { renderOutcomeReply } from '../../../../src/slack/views/messages.ts';
import {
  payloadHeading,
  STATUS_EMOJI,
  STATUS_LABEL,
  statusLabel,
} from '../../../../src/slack/views/status-label.ts';
import { PJM_DONE_LABEL } from '../../../../src/vendors/pjm/pjm-provisioner.ts';

const done = (label?: string): Outcome => ({
  kind: 'done',
  headline: 'h',
  lines: [],
  ...(label ? { label } : {}),
});

describe('status labels', () => {
  it('a success reads in the vendor’s words: PJM is only submitted, pending the Company Account Manager', () => {
    expect(statusLabel('SUCCEEDED', done(PJM_DONE_LABEL))).toBe(
      ":large_green_circle: Submitted — pending your Company Account Manager's approval",
    );
    expect(statusLabel('SUCCEEDED', done('Created in PAM360'))).toBe(
      ':large_green_circle: Created in PAM360',
    );
    expect(statusLabel('SUCCEEDED', { kind: 'exists', headline: 'x', lines: [] })).toMatch(
      /Already exists — nothing was created/,
    );
    // An outcome stored before labels existed still reads as before.
    expect(statusLabel('SUCCEEDED', done())).toBe(STATUS_LABEL.SUCCEEDED);
  });

  it('a vendor label is escaped, and only a success uses it', () => {
    expect(statusLabel('SUCCEEDED', done('<!channel> & co'))).toBe(
      ':large_green_circle: &lt;!channel&gt; &amp; co',
    );
    expect(statusLabel('FAILED', done('Created'))).toBe(STATUS_LABEL.FAILED);
  });

  it('every status has its own emoji, which starts its label', () => {
    expect(new Set(Object.values(STATUS_EMOJI)).size).toBe(REQUEST_STATUSES.length);
    for (const s of REQUEST_STATUSES) expect(STATUS_LABEL[s].startsWith(`${STATUS_EMOJI[s]} `)).toBe(true);
  });

  it('the card says what will be sent before, and what was sent after; nothing sent when nothing was', () => {
    expect(payloadHeading('PENDING')).toBe('What will be sent');
    expect(payloadHeading('APPROVED')).toBe('What will be sent');
    expect(payloadHeading('PROVISIONING')).toBe('What is being sent');
    expect(payloadHeading('SUCCEEDED', done('x'))).toBe('What was sent');
    expect(payloadHeading('FAILED')).toBe('What was sent');
    expect(payloadHeading('NEEDS_ATTENTION')).toBe('What was sent');
    expect(payloadHeading('SUCCEEDED', { kind: 'exists', headline: 'x', lines: [] })).toMatch(
      /nothing was sent/,
    );
    for (const s of ['DENIED', 'EXPIRED', 'CANCELLED'] as const)
      expect(payloadHeading(s)).toMatch(/nothing was sent/);
  });
});

describe('the outcome reply', () => {
  it('says each word once: the label names the vendor, the headline the details', () => {
    const cert = renderOutcomeReply('Certification', 'SUCCEEDED', {
      ...done('Created in Certification'),
      headline: '1 created',
    });
    expect(cert.text).toBe(':large_green_circle: Created in Certification — 1 created');
    const refused = renderOutcomeReply('Certification', 'FAILED', {
      kind: 'rejected',
      headline: '0 created, 1 failed',
      lines: [],
    });
    expect(refused.text).toBe(':red_circle: Refused by the vendor — Certification: 0 created, 1 failed');
    for (const m of [cert, refused]) expect(m.text).not.toMatch(/\b(\w+): \1:/);
  });
});
