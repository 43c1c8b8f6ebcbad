/** `/newuser audit [days] [vendor]`: the audit CSV in the admin's DM; everyone else is refused privately. */
import type { RespondFn } from '@slack/bolt';
import { isVendorId, type VendorId } from '../../domain/request.ts';
import { NotAllowedError } from '../../errors.ts';
import { DEFAULT_AUDIT_DAYS, exportAuditCsv, MAX_AUDIT_DAYS } from '../../flows/audit-export.ts';
import { auditFileComment, renderAuditSentText, renderAuditUsage } from '../views/file-comments.ts';
import { refusalText } from '../views/refusal.ts';
import type { ListenerDeps } from './context.ts';

/** Days and vendor in either order; null when a word is neither. */
function parseAuditArgs(words: readonly string[]): { days: number; vendor: VendorId | null } | null {
  let days = DEFAULT_AUDIT_DAYS;
  let vendor: VendorId | null = null;
  for (const w of words) {
    if (/^\d+$/.test(w) && Number(w) >= 1 && Number(w) <= MAX_AUDIT_DAYS) days = Number(w);
    else if (isVendorId(w)) vendor = w;
    else return null;
  }
  return { days, vendor };
}

export async function answerAudit(
  deps: ListenerDeps,
  userId: string,
  words: readonly string[],
  respond: RespondFn,
): Promise<void> {
  const args = parseAuditArgs(words);
  if (args === null) {
    await respond({
      response_type: 'ephemeral',
      text: renderAuditUsage([...deps.vendors.keys()], MAX_AUDIT_DAYS),
    });
    return;
  }
  try {
    const out = await exportAuditCsv(deps, { actorId: userId, ...args });
    await deps.files.toPerson(userId, {
      filename: out.filename,
      title: 'Access Desk audit trail',
      content: out.csv,
      comment: auditFileComment(args.days, args.vendor, out.events),
    });
    await respond({ response_type: 'ephemeral', text: renderAuditSentText(out.events) });
  } catch (e) {
    if (!(e instanceof NotAllowedError)) throw e;
    await respond({ response_type: 'ephemeral', text: refusalText(e) ?? e.reason });
  }
}
