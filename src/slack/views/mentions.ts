/** Mentions of the people who can act: approvers by user id and user group, made only here. */
import type { WhoCanHelp } from '../../domain/approval-policy.ts';
import { groupMention, userMention } from './mrkdwn.ts';

export function approverMentions(who: WhoCanHelp): string {
  const people = [...who.users.map(userMention), ...who.groups.map(groupMention)];
  return people.length ? people.join(', ') : 'nobody (no approvers configured)';
}
