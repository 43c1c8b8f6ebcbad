/** VendorId → Provisioner and its approval settings, for the vendors enabled in configuration. */
import type { Config } from '../config/schema.ts';
import type { Clock } from '../domain/clock.ts';
import type { VendorId } from '../domain/request.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import type { VendorEntry } from '../flows/deps.ts';
import type { Logger } from '../observability/logger.ts';
import { createCertProvisioner } from './certification/certification-provisioner.ts';
import type { VendorCallObserver } from './http.ts';
import { createPam360Provisioner } from './pam360/pam360-provisioner.ts';
import { createPjmProvisioner } from './pjm/pjm-provisioner.ts';
import type { Provisioner } from './provisioner.ts';

export interface RegistryDeps {
  /** Not bound to the vendor: each vendor call's line names it once, as `vendor`. */
  log: Logger;
  clock: Clock;
  /** Sees every vendor call (e.g. for metrics). */
  onCall?: VendorCallObserver;
}

const FACTORIES: Record<VendorId, (vendors: Config['vendors'], deps: RegistryDeps) => Provisioner> = {
  pjm: (v, d) => createPjmProvisioner(v.pjm, d),
  pam360: (v, d) => createPam360Provisioner(v.pam360, d),
  cert: (v, d) => createCertProvisioner(v.cert, d),
};

/** @throws ConfigError listing every vendor whose connection settings cannot be used */
export function buildVendors(vendors: Config['vendors'], deps: RegistryDeps): Map<VendorId, VendorEntry> {
  const out = new Map<VendorId, VendorEntry>();
  const issues: ConfigIssue[] = [];
  for (const id of Object.keys(FACTORIES) as VendorId[]) {
    const s = vendors[id];
    if (!s.enabled) continue;
    try {
      out.set(id, {
        provisioner: FACTORIES[id](vendors, deps),
        policy: {
          approvers: s.approvers,
          approverGroups: s.approverGroups,
          requiredApprovals: s.requiredApprovals,
          allowSelfApproval: s.allowSelfApproval,
        },
        lookup:
          'lookupUsers' in s
            ? { users: s.lookupUsers, groups: s.lookupGroups, everyone: s.lookupEveryone }
            : { users: [], groups: [], everyone: false },
        // load-config's cross checks guarantee a channel for every enabled vendor.
        approvalChannel: s.approvalChannel ?? '',
        expireAfterHours: s.expireAfterHours,
        remindAfterHours: s.remindAfterHours,
        requireJustification: s.requireJustification,
        secretTtlMinutes: id === 'pam360' ? vendors.pam360.tokenRevealMinutes : 60,
      });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}
