/**
 * Issue 8 §4 end to end: /lookup answers only the vendor's approvers, admins and the people its
 * settings name; a refusal says who may and how to be added; 10 a minute per user, then "try again".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeClock } from '../fakes/fake-clock.ts';
import { APPROVER_GROUP, type Harness, startHarness, USERS } from './harness.ts';
import { approve, requestAccount, waitForCard, waitForEphemeral, waitForReply } from './scenario.ts';

const lookupAs = (h: Harness, user: string, text: string) =>
  h.slack.slashCommand({ user, command: '/lookup', text });

const ephemeralCount = (h: Harness, user: string) => h.slack.ephemerals(user).length;

async function nextEphemeral(h: Harness, user: string, before: number) {
  return h.slack.waitFor(() => h.slack.ephemerals(user)[before], { timeoutMs: 10_000 });
}

describe('/lookup: who may look up', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pam360Patch: { lookupGroups: [APPROVER_GROUP] } });
    h.pam360.seedUser({ USERNAME: 'looked1', FIRSTNAME: 'L', LASTNAME: 'U', EMAIL: 'looked1@example.com' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a workspace member who is neither approver nor admin is refused, told who may and how to be added', async () => {
    await lookupAs(h, USERS.outsider, 'pjm smithj');
    const refusal = await waitForEphemeral(h.slack, USERS.outsider, /PJM_LOOKUP_USERS/);
    const text = refusal.text + JSON.stringify(refusal.blocks ?? []);
    expect(text).toMatch(/PJM_LOOKUP_GROUPS/);
    expect(text).toContain(`<@${USERS.approver1}>`);
    expect(h.pjm.requests.some((r) => r.path.includes('userSearch'))).toBe(false);
    const audit = await h.runtime.store.exportAudit(new Date(0), new Date(8.64e15));
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: USERS.outsider,
        action: 'lookup_refused',
        detail: expect.objectContaining({ vendor: 'pjm' }),
      }),
    );
  });

  it('a member of a PAM360_LOOKUP_GROUPS group may look up PAM360, and the lookup is audited', async () => {
    await lookupAs(h, USERS.groupMember, 'pam360 looked1');
    await waitForEphemeral(h.slack, USERS.groupMember, /looked1/);
    const audit = await h.runtime.store.exportAudit(new Date(0), new Date(8.64e15));
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: USERS.groupMember,
        action: 'lookup',
        detail: { vendor: 'pam360', query: 'looked1' },
      }),
    );
  });

  it('removing someone from the group takes effect at once', async () => {
    h.slack.setUserGroup(APPROVER_GROUP, []);
    const before = ephemeralCount(h, USERS.groupMember);
    await lookupAs(h, USERS.groupMember, 'pam360 looked1');
    const refusal = await nextEphemeral(h, USERS.groupMember, before);
    expect(refusal.text).toMatch(/PAM360_LOOKUP_USERS/);
    h.slack.setUserGroup(APPROVER_GROUP, [USERS.groupMember]);
  });

  it('the 11th lookup in a minute is refused with when to try again; a minute later it works', async () => {
    const clock = h.clock as FakeClock;
    for (let i = 1; i <= 10; i++) {
      const before = ephemeralCount(h, USERS.approver2);
      await lookupAs(h, USERS.approver2, `pam360 looked${i}`);
      const answer = await nextEphemeral(h, USERS.approver2, before);
      expect(answer.text).not.toMatch(/Try again/);
      clock.advance(1_000);
    }
    const before = ephemeralCount(h, USERS.approver2);
    await lookupAs(h, USERS.approver2, 'pam360 looked1');
    const refused = await nextEphemeral(h, USERS.approver2, before);
    expect(refused.text).toMatch(/Try again in 50 s \(at \d\d:\d\d:\d\d UTC\)/);
    clock.advance(50_001);
    const after = ephemeralCount(h, USERS.approver2);
    await lookupAs(h, USERS.approver2, 'pam360 looked1');
    expect((await nextEphemeral(h, USERS.approver2, after)).text).toMatch(/looked1/);
  });
});

describe('/lookup opened to everyone', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pam360Patch: { lookupEveryone: true } });
    h.pam360.seedUser({ USERNAME: 'open1', FIRSTNAME: 'O', LASTNAME: 'P', EMAIL: 'open1@example.com' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('PAM360_LOOKUP_EVERYONE=true answers any member; PJM stays closed', async () => {
    await lookupAs(h, USERS.outsider, 'pam360 open1');
    await waitForEphemeral(h.slack, USERS.outsider, /open1/);
    await lookupAs(h, USERS.outsider, 'pjm smithj');
    await waitForEphemeral(h.slack, USERS.outsider, /PJM_LOOKUP_USERS/);
  });
});

describe('approver groups are read fresh for every decision', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      pam360Patch: { approvers: [USERS.approver1], approverGroups: [APPROVER_GROUP] },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('removing someone from the approver group takes effect at once', async () => {
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Gina',
      LASTNAME: 'Group',
      USERNAME: 'ggroup',
      EMAIL: 'ggroup@example.com',
    });
    const card = await waitForCard(h.slack, 'pam360');
    // The member's groups are read once while they are in it (a cache would now hold them)…
    await lookupAs(h, USERS.groupMember, 'pam360 ggroup');
    await waitForEphemeral(h.slack, USERS.groupMember, /ggroup/);
    // …then they leave the group: the very next decision must not count them.
    h.slack.setUserGroup(APPROVER_GROUP, []);
    await approve(h.slack, card, USERS.groupMember);
    await waitForEphemeral(h.slack, USERS.groupMember, /Only approvers can approve/);
    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    expect(req?.status).toBe('PENDING');
    h.slack.setUserGroup(APPROVER_GROUP, [USERS.groupMember]);
    await approve(h.slack, card, USERS.groupMember);
    await waitForReply(h.slack, card, /approved/);
  });
});
