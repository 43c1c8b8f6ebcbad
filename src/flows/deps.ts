/** What every use case needs; built once in src/runtime.ts. No Slack or SQL types here. */
import type { ApprovalPolicy } from '../domain/approval-policy.ts';
import type { Clock } from '../domain/clock.ts';
import type { LookupPolicy } from '../domain/lookup-policy.ts';
import type { VendorId } from '../domain/request.ts';
import type { Logger } from '../observability/logger.ts';
import type { Store } from '../store/store.ts';
import type { Provisioner } from '../vendors/provisioner.ts';

export interface VendorEntry {
  provisioner: Provisioner;
  policy: ApprovalPolicy;
  /** Who may use /lookup for this vendor besides the approvers and admins. */
  lookup: LookupPolicy;
  approvalChannel: string;
  expireAfterHours: number;
  remindAfterHours: readonly number[];
  /** Whether "Why is this needed?" must be answered (it is always asked). */
  requireJustification: boolean;
  /** How long a credential from this vendor waits to be revealed. */
  secretTtlMinutes: number;
}

export interface FlowDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  vendors: ReadonlyMap<VendorId, VendorEntry>;
  /** Slack user ids allowed to retry requests and export the audit trail, besides each vendor's approvers. */
  adminUsers: readonly string[];
  newId(): string;
  /** Nudge the worker: a job was just enqueued. */
  wake(): void;
}
