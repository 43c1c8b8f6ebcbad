/** What listeners get: the flows' dependencies plus the Slack directory. */
import type { Actor } from '../../domain/approval-policy.ts';
import type { VendorId } from '../../domain/request.ts';
import type { FlowDeps } from '../../flows/deps.ts';
import type { RateLimiter } from '../../flows/rate-limiter.ts';
import type { SlackDirectory } from '../slack-directory.ts';
import type { SlackFiles } from '../slack-files.ts';
import type { SlackGateway } from '../slack-gateway.ts';

export interface ListenerDeps extends FlowDeps {
  directory: SlackDirectory;
  gateway: SlackGateway;
  files: SlackFiles;
  /** /lookup uses per user (slack.lookupsPerMinute). */
  lookupLimiter: RateLimiter;
  /**
   * Told of every delivery as it comes in, and (the returned function) once it is handled, so the
   * worker steps aside for acks and what follows them (worker/inbound-traffic.ts).
   */
  inbound?: { arrived(): () => void };
}

/** The clicking user as the approval policy sees them: id, team, and the relevant groups. */
export async function actorFor(
  deps: ListenerDeps,
  user: { id: string; team_id?: string | undefined },
  teamId: string | undefined,
  vendor: VendorId,
): Promise<Actor> {
  const groups = deps.vendors.get(vendor)?.policy.approverGroups ?? [];
  return {
    userId: user.id,
    teamId: user.team_id ?? teamId ?? '',
    groups: groups.length ? await deps.directory.groupsOf(user.id, groups) : [],
  };
}
