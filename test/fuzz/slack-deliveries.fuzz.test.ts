/**
 * Random deliveries into the real Bolt app over Socket Mode: modal submissions with random values,
 * button clicks with forged values, unknown action ids. The bot never crashes and leaves no
 * unhandled rejection; a submission is stored whole (request, audit, jobs) or refused field by
 * field in the modal; a forged click changes nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorId } from '../../src/domain/request.ts';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';
import { certForm, pam360Form, pjmForm, submitAndWaitForCard } from '../chaos/chaos-kit.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { form, WHY } from '../integration/scenario.ts';
import { formValuesArb, RUNS, typed, watchRejections } from './fuzz-kit.ts';

const VENDORS: VendorId[] = ['pjm', 'pam360', 'cert'];
const SLACK_ACK_MS = 3_000;
const VALID = { pjm: pjmForm, pam360: pam360Form, cert: certForm } as const;

describe('fuzzing Slack deliveries', () => {
  let h: Harness;
  const rejections = watchRejections();
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    rejections.stop();
    await h?.close();
  });

  const provisioner = (vendor: VendorId) => h.runtime.deps.vendors.get(vendor)!.provisioner;

  it('random modal values: stored whole with its audit and jobs, or refused field by field', async () => {
    // Either every field random, or a valid form with one field replaced (so both answers occur).
    const arb = fc.constantFrom(...VENDORS).chain((vendor) => {
      const random = formValuesArb(provisioner(vendor).formFields());
      const nearlyValid = fc
        .tuple(
          fc.nat(),
          random,
          fc.constantFrom(
            ...provisioner(vendor)
              .formFields()
              .map((f) => f.id),
          ),
        )
        .map(([n, noise, field]) => ({ ...VALID[vendor](`fuzz${n % 100000}`), [field]: noise[field] }));
      return fc.tuple(fc.constant(vendor), fc.oneof(random, nearlyValid));
    });
    await fc.assert(
      fc.asyncProperty(arb, async ([vendor, values]) => {
        const user = USERS.requester;
        const before = await h.runtime.store.listRequests({ requesterId: user, limit: 1000 });
        const known = new Set(h.slack.views(user).map((v) => v.id));
        await h.slack.slashCommand({ user, command: '/newuser', text: vendor });
        const modal = await h.slack.waitFor(() =>
          h.slack.views(user).find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
        );
        const result = await h.slack.submitView({
          user,
          viewId: modal.id,
          values: form({ justification: WHY, ...values }),
        });
        expect(result.acked).toBe(true);
        const after = await h.runtime.store.listRequests({ requesterId: user, limit: 1000 });
        if (result.ack?.response_action === 'errors') {
          expect(after).toHaveLength(before.length);
          const blockIds = new Set(modal.blocks.map((b) => b.block_id));
          const errors = Object.entries(result.ack.errors ?? {});
          expect(errors.length).toBeGreaterThan(0);
          for (const [block, message] of errors) {
            expect(blockIds.has(block), `error under ${block}, which is not in the modal`).toBe(true);
            expect(message.trim().length).toBeGreaterThan(0);
          }
          h.slack.closeView({ user, viewId: modal.id });
          return;
        }
        expect(after).toHaveLength(before.length + 1);
        const created = after.find((r) => !before.some((b) => b.id === r.id))!;
        expect(created.status).toBe('PENDING');
        expect((await h.runtime.store.listAudit(created.id)).map((a) => a.action)).toContain('requested');
        const kinds = (await h.runtime.store.listJobs(created.id)).map((j) => j.kind);
        expect(kinds).toEqual(expect.arrayContaining(['render-card', 'precheck']));
      }),
      { numRuns: RUNS.slack },
    );
    expect(rejections.seen).toEqual([]);
  }, 60_000);

  it('forged button values on a real card, by anyone: nothing changes, nobody is answered with a crash', async () => {
    const { card, request } = await submitAndWaitForCard(h, 'pam360', pam360Form('forged001'), 'forged001');
    const real = new Set(
      card.blocks.flatMap((b) => (b.elements ?? []).map((e) => e.value)).filter((v) => v !== undefined),
    );
    const forged = fc
      .oneof(
        typed,
        fc.json(),
        fc
          .record({ r: fc.oneof(fc.uuid(), fc.constant(request.id)), h: fc.string() })
          .map((o) => JSON.stringify(o)),
        fc.uuid(),
      )
      .filter((v) => !real.has(v));
    const action = fc.constantFrom(ACTION.approve, ACTION.deny, ACTION.cancel);
    const user = fc.constantFrom(...Object.values(USERS));
    await fc.assert(
      fc.asyncProperty(action, forged, user, async (actionId, value, who) => {
        const result = await h.slack.clickButton({
          user: who,
          channel: card.channel,
          ts: card.ts,
          actionId,
          value,
        });
        expect(result.acked).toBe(true);
        expect((await h.runtime.store.getRequest(request.id)).status).toBe('PENDING');
        expect(await h.runtime.store.listApprovals(request.id)).toEqual([]);
      }),
      { numRuns: RUNS.slack },
    );
    expect(rejections.seen).toEqual([]);
  }, 60_000);

  it('unknown action ids and odd payload fields: no crash, and the bot still serves the next person', async () => {
    h.slack.ackTimeoutMs = 50;
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 30 }), typed, fc.json(), async (actionId, value, junk) => {
          await h.slack.deliver('interactive', {
            type: 'block_actions',
            user: { id: USERS.outsider, team_id: h.slack.identity.teamId },
            team: { id: h.slack.identity.teamId },
            api_app_id: h.slack.identity.appId,
            trigger_id: h.slack.issueTrigger(USERS.outsider),
            container: { type: 'message', message_ts: '1.2', channel_id: 'C0GENERAL' },
            actions: [{ type: 'button', action_id: actionId, block_id: 'x', value, action_ts: '1.2' }],
            junk: JSON.parse(junk) as unknown,
          });
        }),
        { numRuns: RUNS.slack },
      );
    } finally {
      h.slack.ackTimeoutMs = SLACK_ACK_MS;
    }
    const known = new Set(h.slack.views(USERS.requester).map((v) => v.id));
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'pjm' });
    await h.slack.waitFor(() => h.slack.views(USERS.requester).find((v) => v.open && !known.has(v.id)));
    expect(rejections.seen).toEqual([]);
  }, 60_000);
});
