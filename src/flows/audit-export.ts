/**
 * /newuser audit [days] [vendor]: the audit trail as CSV, for admins (SLACK_ADMIN_USERS) only —
 * every state change, decision with its reason, retry, reveal and lookup, oldest first. The export
 * itself is audited.
 */
import type { AuditEvent, VendorId } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import { writeCsv } from './csv-write.ts';
import type { FlowDeps } from './deps.ts';

export const DEFAULT_AUDIT_DAYS = 30;
export const MAX_AUDIT_DAYS = 366;
const DAY = 86_400_000;

export interface AuditExportInput {
  actorId: string;
  days: number;
  vendor: VendorId | null;
}

export interface AuditExport {
  csv: string;
  events: number;
  filename: string;
}

/** @throws NotAllowedError for anyone not in SLACK_ADMIN_USERS */
export async function exportAuditCsv(deps: FlowDeps, input: AuditExportInput): Promise<AuditExport> {
  const now = deps.clock.now();
  if (!deps.adminUsers.includes(input.actorId)) {
    await deps.store.appendAudit(null, { actor: input.actorId, action: 'audit_export_refused' }, now);
    throw new NotAllowedError(
      'Only Access Desk admins (the user ids in SLACK_ADMIN_USERS) may export the audit trail.',
      { users: [...deps.adminUsers], groups: [] },
    );
  }
  const since = new Date(now.getTime() - input.days * DAY);
  const events = await deps.store.exportAudit(since, new Date(now.getTime() + 1));
  const vendors = await vendorsOf(deps, events);
  const kept = events
    .map((e) => ({ e, vendor: vendors.get(e.requestId ?? '') ?? detailVendor(e) }))
    .filter(({ vendor }) => input.vendor === null || vendor === input.vendor);
  const csv = writeCsv(
    ['at', 'request_id', 'vendor', 'actor', 'action', 'from_status', 'to_status', 'reason', 'detail'],
    kept.map(({ e, vendor }) => [
      e.at.toISOString(),
      e.requestId,
      vendor,
      e.actor,
      e.action,
      e.fromStatus,
      e.toStatus,
      field(e, 'reason'),
      e.detail === null ? '' : typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail),
    ]),
  );
  await deps.store.appendAudit(
    null,
    {
      actor: input.actorId,
      action: 'audit_exported',
      detail: { days: input.days, vendor: input.vendor, events: kept.length },
    },
    now,
  );
  deps.log.info({ actor: input.actorId, days: input.days, events: kept.length }, 'audit exported');
  const stamp = now.toISOString().slice(0, 10);
  return { csv, events: kept.length, filename: `access-desk-audit-${input.vendor ?? 'all'}-${stamp}.csv` };
}

/** The vendor of each request the events name (one read per request). */
async function vendorsOf(deps: FlowDeps, events: readonly AuditEvent[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(events.map((e) => e.requestId).filter((r): r is string => r !== null))) {
    try {
      out.set(id, (await deps.store.getRequest(id)).vendor);
    } catch {
      // A request that is gone keeps its events; they have no vendor column then.
    }
  }
  return out;
}

/** A string member of an event's detail (a decision's reason, a lookup's vendor), or null. */
function field(e: AuditEvent, key: string): string | null {
  const d = e.detail;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return null;
  const v = d[key];
  return typeof v === 'string' ? v : null;
}

/** Lookups carry no request; their detail names the vendor. */
const detailVendor = (e: AuditEvent) => field(e, 'vendor');
