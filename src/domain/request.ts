/** The access request as stored: the single source of truth every Slack surface is rendered from. */

export const VENDOR_IDS = ['pjm', 'pam360', 'cert'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];
export const isVendorId = (v: unknown): v is VendorId => (VENDOR_IDS as readonly unknown[]).includes(v);

export const REQUEST_STATUSES = [
  'PENDING',
  'APPROVED',
  'PROVISIONING',
  'SUCCEEDED',
  'FAILED',
  'NEEDS_ATTENTION',
  'DENIED',
  'EXPIRED',
  'CANCELLED',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const FINAL_STATUSES: readonly RequestStatus[] = [
  'SUCCEEDED',
  'FAILED',
  'DENIED',
  'EXPIRED',
  'CANCELLED',
];

/** JSON-serialisable value, as kept in the store. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SlackRef {
  /** Channel id (C…/G…/D…). */
  channel: string;
  /** Message ts. */
  ts: string;
}

export interface AccessRequest {
  /** Opaque unguessable id (also used in button values). */
  id: string;
  vendor: VendorId;
  /** Slack user id of the requester. */
  requesterId: string;
  /** Slack team id the request came from. */
  teamId: string;
  /** The exact vendor payload an approval binds to (secrets included; masked when shown). */
  payload: Json;
  /** Stable hash of `payload` (see payload-hash.ts). */
  payloadHash: string;
  status: RequestStatus;
  /** Incremented by every change; the compare-and-swap token. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The approval card in the vendor's channel, once posted. */
  card: SlackRef | null;
  /** A hash of the card's render last sent to Slack, once sent: an identical re-render is skipped. */
  cardRender?: string;
  /** Pre-check findings, outcome and other vendor-neutral facts the views render. */
  facts: Json;
}

export const DECISIONS = ['approve', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Approval {
  requestId: string;
  /** Slack user id of the approver. */
  approverId: string;
  decision: Decision;
  /** Deny reason (required for deny) or an optional approve note. */
  reason: string | null;
  /** The payload hash the approver saw; approvals of an older payload do not count. */
  payloadHash: string;
  decidedAt: Date;
}

export interface AuditEvent {
  id: number;
  requestId: string | null;
  /** Slack user id or 'system'. */
  actor: string;
  /** Short verb: 'requested', 'approved', 'denied', 'provisioned', 'token_revealed', … */
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  /** Free text without secrets. */
  detail: Json;
  at: Date;
}
