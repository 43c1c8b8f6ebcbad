/** The words an actor sees, privately, when a click changes nothing. */
import { NotAllowedError, RequestNotFoundError, TransitionConflictError } from '../../errors.ts';
import { STATUS_LABEL } from '../views/status-label.ts';

/** Null for errors that are not a refusal (they go to the error handler). */
export function refusalText(e: unknown): string | null {
  if (e instanceof NotAllowedError) return `:no_entry_sign: ${e.reason}`;
  if (e instanceof TransitionConflictError) {
    const by = e.winner && e.winner !== 'system' ? ` by <@${e.winner}>` : '';
    return `:information_source: Nothing changed: this request is already ${STATUS_LABEL[e.current.status].replace(/^:[a-z_]+: /, '').toLowerCase()}${by}.`;
  }
  if (e instanceof RequestNotFoundError) return ':grey_question: That request no longer exists.';
  return null;
}
