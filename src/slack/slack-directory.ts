/**
 * Who is in which Slack user group, asked fresh every time (issue 8 §4): removing someone from an
 * approver group takes effect at once, for decisions and lookups alike. Authorisation is by user
 * id only, never by name. usergroups.users.list is Tier 2 (20+ a minute); a click asks once per
 * configured group.
 */
import type { WebClient } from '@slack/web-api';

export class SlackDirectory {
  readonly #client: WebClient;

  constructor(client: WebClient) {
    this.#client = client;
  }

  /** Which of `groupIds` the user belongs to. */
  async groupsOf(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const g of groupIds) {
      const res = await this.#client.usergroups.users.list({ usergroup: g });
      if ((res.users ?? []).includes(userId)) out.push(g);
    }
    return out;
  }
}
