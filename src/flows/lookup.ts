/** /lookup: ask the vendor directly (read-only), answer the asker alone. */
import type { VendorId } from '../domain/request.ts';
import { NotAllowedError, ValidationError } from '../errors.ts';
import type { LookupResult } from '../vendors/provisioner.ts';
import type { FlowDeps } from './deps.ts';
import { vendorEntry } from './vendor-entry.ts';

export function lookupVendors(deps: Pick<FlowDeps, 'vendors'>): VendorId[] {
  return [...deps.vendors.entries()].filter(([, e]) => e.provisioner.lookup).map(([id]) => id);
}

export async function lookup(deps: FlowDeps, vendor: VendorId, query: string): Promise<LookupResult> {
  const { provisioner } = vendorEntry(deps, vendor);
  if (!provisioner.lookup) throw new NotAllowedError(`${provisioner.displayName} has no lookup.`);
  const q = query.trim();
  if (q.length < 2) throw new ValidationError({ query: 'Give at least two characters to search for.' });
  return provisioner.lookup(q, AbortSignal.timeout(15_000));
}
