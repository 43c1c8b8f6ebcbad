import type { View } from '../slack-gateway.ts';
import { section } from './blocks.ts';
import { CALLBACK } from './ids.ts';
import { esc } from './mrkdwn.ts';

/** The only place a secret is ever shown: a modal, which Slack does not keep in message history. */
export function renderSecretModal(label: string, subject: string, value: string): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.token,
    title: { type: 'plain_text', text: 'Credential' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      section(`*${esc(label)}* for *${esc(subject)}*:`),
      section(`\`${esc(value)}\``),
      section(':warning: Copy it now: it has been deleted from Access Desk and cannot be shown again.'),
    ],
  };
}

export function renderSecretGoneModal(): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.token,
    title: { type: 'plain_text', text: 'Credential' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      section(
        'This credential is no longer available: it was already revealed, it expired, or it belongs to someone else. An admin can issue a new token in PAM360.',
      ),
    ],
  };
}
