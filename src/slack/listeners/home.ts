/**
 * The App Home of one user: their requests; the pending requests they may approve and have not yet
 * (Approve and Deny, the card's own buttons); for admins and approvers, the requests that need
 * attention (Retry). Published on app_home_opened and after a click on the Home itself.
 */
import type { WebClient } from '@slack/web-api';
import { isApprover } from '../../domain/approval-policy.ts';
import type { AccessRequest } from '../../domain/request.ts';
import { type HomeRow, renderHomeTab } from '../views/home-tab.ts';
import { actorFor, type ListenerDeps } from './context.ts';

const LIST = 15;

export async function publishHome(
  deps: ListenerDeps,
  client: WebClient,
  userId: string,
  teamId: string | undefined,
  notice?: string,
): Promise<void> {
  const toRow = async (request: AccessRequest): Promise<HomeRow> => {
    const p = deps.vendors.get(request.vendor)!.provisioner;
    return {
      request,
      vendorName: p.displayName,
      subject: p.describe(request.payload).subject,
      link: request.card ? await deps.gateway.permalink(request.card) : null,
    };
  };
  const known = (r: AccessRequest) => deps.vendors.has(r.vendor);
  const mine = await deps.store.listRequests({ requesterId: userId, limit: LIST });
  const awaiting: AccessRequest[] = [];
  const attention: AccessRequest[] = [];
  for (const [vendor, entry] of deps.vendors) {
    const actor = await actorFor(deps, { id: userId }, teamId, vendor);
    const approver = isApprover(actor, entry.policy);
    if (approver || deps.adminUsers.includes(userId))
      attention.push(
        ...(await deps.store.listRequests({ vendor, statuses: ['NEEDS_ATTENTION'], limit: LIST })),
      );
    if (!approver) continue;
    for (const r of await deps.store.listRequests({ vendor, statuses: ['PENDING'], limit: LIST })) {
      if (r.requesterId === userId && !entry.policy.allowSelfApproval) continue;
      const mineAlready = (await deps.store.listApprovals(r.id)).some(
        (a) => a.approverId === userId && a.payloadHash === r.payloadHash,
      );
      if (!mineAlready) awaiting.push(r);
    }
  }
  await client.views.publish({
    user_id: userId,
    view: renderHomeTab({
      mine: await Promise.all(mine.filter(known).map(toRow)),
      awaiting: await Promise.all(awaiting.map(toRow)),
      attention: await Promise.all(attention.map(toRow)),
      ...(notice ? { notice } : {}),
    }),
  });
}
