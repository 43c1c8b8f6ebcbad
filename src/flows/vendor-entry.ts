import type { VendorId } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { FlowDeps, VendorEntry } from './deps.ts';

export function vendorEntry(deps: Pick<FlowDeps, 'vendors'>, vendor: VendorId): VendorEntry {
  const entry = deps.vendors.get(vendor);
  if (!entry) throw new NotAllowedError(`${vendor} is not enabled in this Access Desk.`);
  return entry;
}

export const expiresAt = (createdAt: Date, entry: VendorEntry) =>
  new Date(createdAt.getTime() + entry.expireAfterHours * 3_600_000);
