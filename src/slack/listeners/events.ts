/** The App Home tab: my requests and those waiting for my approval, rendered on open. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { isApprover } from '../../domain/approval-policy.ts';
import type { AccessRequest } from '../../domain/request.ts';
import { type HomeRow, renderHomeTab } from '../views/home-tab.ts';
import { actorFor, type ListenerDeps } from './context.ts';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function onAppHomeOpened(deps: ListenerDeps) {
  return async ({ event, body, client }: HomeArgs) => {
    if (event.tab !== 'home') return;
    const toRow = async (request: AccessRequest): Promise<HomeRow> => {
      const p = deps.vendors.get(request.vendor)!.provisioner;
      return {
        request,
        vendorName: p.displayName,
        subject: p.describe(request.payload).subject,
        link: request.card ? await deps.gateway.permalink(request.card) : null,
      };
    };
    const mine = await deps.store.listRequests({ requesterId: event.user, limit: 15 });
    const awaiting: AccessRequest[] = [];
    for (const [vendor, entry] of deps.vendors) {
      const actor = await actorFor(deps, { id: event.user }, body.team_id, vendor);
      if (!isApprover(actor, entry.policy)) continue;
      awaiting.push(...(await deps.store.listRequests({ vendor, statuses: ['PENDING'], limit: 15 })));
    }
    const known = (r: AccessRequest) => deps.vendors.has(r.vendor);
    await client.views.publish({
      user_id: event.user,
      view: renderHomeTab(
        await Promise.all(mine.filter(known).map(toRow)),
        await Promise.all(awaiting.filter((r) => r.requesterId !== event.user).map(toRow)),
      ),
    });
  };
}
