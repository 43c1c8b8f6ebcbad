/**
 * Who is in which Slack user group, cached for a few minutes (approver groups change rarely;
 * usergroups.users.list is rate-limited). Authorisation is by user id only, never by name.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../domain/clock.ts';

const TTL_MS = 5 * 60_000;

export class SlackDirectory {
  readonly #client: WebClient;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { members: Set<string>; at: number }>();

  constructor(client: WebClient, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  /** Which of `groupIds` the user belongs to. */
  async groupsOf(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const g of groupIds) if ((await this.#members(g)).has(userId)) out.push(g);
    return out;
  }

  async #members(groupId: string): Promise<Set<string>> {
    const now = this.#clock.now().getTime();
    const hit = this.#cache.get(groupId);
    if (hit && now - hit.at < TTL_MS) return hit.members;
    const res = await this.#client.usergroups.users.list({ usergroup: groupId });
    const members = new Set(res.users ?? []);
    this.#cache.set(groupId, { members, at: now });
    return members;
  }
}
