/** The words an actor sees, privately, when a click or command changes nothing. */
import { NotAllowedError, RequestNotFoundError, TransitionConflictError } from '../../errors.ts';
import { approverMentions } from './mentions.ts';
import { esc, userMention } from './mrkdwn.ts';
import { STATUS_LABEL } from './status-label.ts';

/** A click on a card shown before the requester's edit. */
const EDITED =
  'Nothing changed: the requester edited this request after it was shown to you, which reset its approvals. Read the updated card and decide again.';

const already = (e: TransitionConflictError) =>
  `Nothing changed: this request is already ${STATUS_LABEL[e.current.status].replace(/^:[a-z_]+: /, '').toLowerCase()}`;

/** Mrkdwn for a refusal; null for errors that are not one (they go to the error handler). */
export function refusalText(e: unknown): string | null {
  if (e instanceof NotAllowedError) {
    const who = e.who ? ` Who can: ${approverMentions(e.who)}.` : '';
    return `:no_entry_sign: ${esc(e.reason)}${who}`;
  }
  if (e instanceof TransitionConflictError && e.edited) return `:pencil2: ${EDITED}`;
  if (e instanceof TransitionConflictError) {
    const by = e.winner && e.winner !== 'system' ? ` by ${userMention(e.winner)}` : '';
    return `:information_source: ${already(e)}${by}.`;
  }
  if (e instanceof RequestNotFoundError) return ':grey_question: That request no longer exists.';
  return null;
}

/** The same refusal for a modal field error, which Slack shows as plain text (no mentions). */
export function refusalFieldText(e: unknown): string | null {
  if (e instanceof NotAllowedError) return e.reason;
  if (e instanceof TransitionConflictError) return e.edited ? EDITED : `${already(e)}.`;
  if (e instanceof RequestNotFoundError) return 'That request no longer exists.';
  return null;
}

/** A click or command that failed after Slack was answered: the user tries again. */
export const renderFailedText = (): string =>
  ':warning: Access Desk could not finish that just now. Please try again in a moment.';
