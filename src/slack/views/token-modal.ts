import type { KnownBlock, View } from '../slack-gateway.ts';
import { section } from './blocks.ts';
import { CALLBACK } from './ids.ts';
import { esc } from './mrkdwn.ts';

export const COPY_NOW =
  ':warning: Copy it now: it has been deleted from Access Desk and cannot be shown again.';

/** The modal every credential view shares; Slack does not keep a modal in message history. */
export function credentialModal(blocks: KnownBlock[], close = 'Done'): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.token,
    title: { type: 'plain_text', text: 'Credential' },
    close: { type: 'plain_text', text: close },
    blocks,
  };
}

/** The only place a secret is ever shown: a modal, which Slack does not keep in message history. */
export function renderSecretModal(label: string, subject: string, value: string): View {
  return credentialModal([
    section(`*${esc(label)}* for *${esc(subject)}*:`),
    section(`\`${esc(value)}\``),
    section(COPY_NOW),
  ]);
}

export function renderSecretGoneModal(): View {
  return credentialModal(
    [
      section(
        'This credential is no longer available: it was already revealed, it expired, or it belongs to someone else. An admin can issue a new token in PAM360.',
      ),
    ],
    'Close',
  );
}
