/**
 * The soak's verdict, from three independent records: the simulators (what was created, and how
 * often), the fake Slack (what people saw) and the store (where every request and job ended).
 */

import type { AccessRequest } from '../../src/domain/request.ts';
import { FINAL_STATUSES, type RequestStatus, type VendorId } from '../../src/domain/request.ts';
import { plainText } from '../../test/fakes/fake-slack/index.ts';
import type { CreateLedger } from './ledger.ts';
import { isOutcomeReply, type Played } from './player.ts';
import { SOAK_CHANNELS, type World } from './world.ts';

export interface Verdict {
  stored: number;
  byStatus: Partial<Record<RequestStatus, number>>;
  duplicateCreates: number;
  /** Certification create batches processed (a resubmit after a lost answer is refused by the vendor). */
  certBatches: number;
  lost: number;
  doublePosts: { cards: number; outcomes: number; decisions: number; dms: number };
  missing: { outcomes: number; dms: number };
  jobsLeased: number;
  jobsQueued: number;
  wrongOutcomes: number;
  violations: string[];
}

const SETTLED: readonly RequestStatus[] = [...FINAL_STATUSES, 'NEEDS_ATTENTION'];
/** Every played subject is soak + five digits (player.ts). */
const SUBJECT = /soak\d{5}/;

function existsAtVendor(w: World, vendor: VendorId, subject: string): boolean {
  if (vendor === 'pjm') return w.pjm.store.users.has(subject.toLowerCase());
  if (vendor === 'pam360') return w.pam360.store.find(subject) !== undefined;
  return w.cert.users().some((u) => u.userName.toLowerCase() === subject.toLowerCase());
}

export async function judge(w: World, played: readonly Played[], ledger: CreateLedger): Promise<Verdict> {
  const v: Verdict = {
    stored: 0,
    byStatus: {},
    duplicateCreates: ledger.duplicates.length,
    certBatches: w.cert.createCalls,
    lost: 0,
    doublePosts: { cards: 0, outcomes: 0, decisions: 0, dms: 0 },
    missing: { outcomes: 0, dms: 0 },
    jobsLeased: 0,
    jobsQueued: 0,
    wrongOutcomes: 0,
    violations: [],
  };
  const flag = (what: string) => v.violations.push(what);
  for (const key of ledger.duplicates) flag(`duplicate create at the vendor: ${key}`);
  const all = await w.store.listRequests({ limit: played.length * 4 + 100 });
  v.stored = all.length;
  const bySubject = new Map<string, AccessRequest[]>();
  for (const r of all) {
    const key = SUBJECT.exec(JSON.stringify(r.payload))?.[0] ?? `?${r.id}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), r]);
  }
  const known = new Set(played.map((p) => p.subject));
  for (const [key, reqs] of bySubject)
    if (!known.has(key)) flag(`${reqs.length} requests nobody played (${key})`);
  const unplayed = played.filter((p) => !p.started).length;
  if (unplayed > 0) flag(`${unplayed} requests not played before the deadline`);
  const cut = played.filter((p) => p.cutShort).length;
  if (cut > 0) flag(`${cut} requests cut short by the deadline before a decision`);
  for (const p of played.filter((x) => x.started)) {
    const reqs = bySubject.get(p.subject) ?? [];
    for (const problem of p.problems) flag(`${p.subject}: ${problem}`);
    if (reqs.length === 0 && p.cutShort) continue;
    if (reqs.length === 0) {
      v.lost += 1;
      flag(`${p.subject}: lost (no request stored)`);
      continue;
    }
    if (reqs.length > 1) flag(`${p.subject}: ${reqs.length} requests stored for one submission`);
    for (const r of reqs) await judgeRequest(w, v, p, r, ledger);
  }
  return v;
}

async function judgeRequest(w: World, v: Verdict, p: Played, r: AccessRequest, ledger: CreateLedger) {
  const flag = (what: string) => v.violations.push(`${p.subject} (${r.vendor}, ${r.status}): ${what}`);
  v.byStatus[r.status] = (v.byStatus[r.status] ?? 0) + 1;
  const jobs = await w.store.listJobs(r.id);
  const undecided = p.cutShort && r.status === 'PENDING';
  if (!SETTLED.includes(r.status) && !undecided) {
    v.lost += 1;
    const now = Date.now();
    const states = jobs.map(
      (j) =>
        `${j.kind}:${j.state}:${j.attempts}${j.state === 'queued' ? `@${Math.round((j.runAfter.getTime() - now) / 1000)}s` : ''}${j.lastError ? `(${j.lastError.slice(0, 60)})` : ''}`,
    );
    flag(`never reached a final state; jobs ${states.join(', ')}`);
  }
  for (const job of jobs) {
    if (job.state === 'running') {
      v.jobsLeased += 1;
      flag(`job ${job.kind} #${job.id} left leased by ${job.leaseOwner}`);
    } else if (job.state === 'queued') {
      v.jobsQueued += 1;
      flag(`job ${job.kind} #${job.id} still queued`);
    }
  }
  const cards = w.slack.messages(SOAK_CHANNELS[r.vendor]).filter((m) => plainText(m).includes(p.subject));
  if (cards.length > 1) {
    v.doublePosts.cards += cards.length - 1;
    flag(`${cards.length} cards in the channel`);
  } else if (cards.length === 0 && !undecided) flag('no card in the channel');
  const thread = r.card ? w.slack.thread(r.card.channel, r.card.ts) : [];
  const outcomes = thread.filter((m) => isOutcomeReply(r.status, m.text)).length;
  if (SETTLED.includes(r.status) && outcomes !== 1) {
    if (outcomes === 0) {
      v.missing.outcomes += 1;
      flag('outcome never posted in its thread');
    } else {
      v.doublePosts.outcomes += outcomes - 1;
      flag(`outcome posted ${outcomes} times in its thread`);
    }
  }
  const approvals = (await w.store.listApprovals(r.id)).filter((a) => a.decision === 'approve').length;
  const approvedReplies = thread.filter((m) => /approved \(/.test(m.text)).length;
  if (approvedReplies > approvals) {
    v.doublePosts.decisions += approvedReplies - approvals;
    flag(`${approvedReplies} "approved" replies for ${approvals} approvals`);
  }
  const dmPattern = new RegExp(`account for ${p.subject} \\(`);
  const dms = w.slack.dms(r.requesterId).filter((m) => dmPattern.test(m.text)).length;
  const expectedDms = r.status === 'CANCELLED' || !SETTLED.includes(r.status) ? 0 : 1;
  if (dms !== expectedDms) {
    if (dms < expectedDms) v.missing.dms += 1;
    else v.doublePosts.dms += dms - expectedDms;
    flag(`requester DM'd ${dms} times about the outcome (expected ${expectedDms})`);
  }
  const created = existsAtVendor(w, r.vendor, p.subject);
  const mustExist = r.status === 'SUCCEEDED';
  const mustNotExist = r.status === 'DENIED' || r.status === 'CANCELLED' || r.status === 'FAILED';
  if ((mustExist && !created) || (mustNotExist && created)) {
    v.wrongOutcomes += 1;
    flag(`${created ? 'created' : 'not created'} at the vendor`);
  }
  if (r.status === 'DENIED' || r.status === 'CANCELLED') {
    const calls = ledger.processed.get(`${r.vendor}:${p.subject}`) ?? 0;
    if (calls > 0) flag(`${calls} create calls for a request never approved`);
  }
}
