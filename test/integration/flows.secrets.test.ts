/**
 * Issue 8 §3 end to end: a held credential is shown once, in two phases (deleted only after the
 * modal opened), and no test secret is left in the database files.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import {
  approve,
  requestAccount,
  waitForCard,
  waitForCardText,
  waitForDm,
  waitForEphemeral,
} from './scenario.ts';

describe('Reveal, two-phase (PAM360 AUTHTOKEN)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a modal that fails to open keeps the secret; the next click shows it, the one after finds it gone', async () => {
    await requestAccount(h.slack, 'pam360', {
      userType: 'api',
      FIRSTNAME: 'Tara',
      LASTNAME: 'Trigger',
      USERNAME: 'ttrigger',
      EMAIL: 'tara@example.com',
    });
    const card = await waitForCard(h.slack, 'pam360');
    await waitForCardText(h.slack, 'pam360', card, /Not found at the vendor/);
    await approve(h.slack, card, USERS.approver1);
    const dm = await waitForDm(h.slack, USERS.requester, /Reveal/);
    const token = [...h.pam360.store.tokens.entries()].find(([, t]) => t.username === 'ttrigger')?.[0];
    expect(token).toBeTruthy();
    const click = () =>
      h.slack.clickButton({
        user: USERS.requester,
        channel: dm.channel,
        ts: dm.ts,
        actionId: ACTION.revealToken,
      });
    const shown = () => h.slack.views(USERS.requester).filter((v) => JSON.stringify(v.view).includes(token!));

    h.slack.failNext('views.open', { error: 'expired_trigger_id' });
    await click();
    await waitForEphemeral(h.slack, USERS.requester, /still waiting.*Reveal/s);
    expect(shown()).toEqual([]);
    const requestId = (await h.runtime.store.listRequests({ vendor: 'pam360' }))[0]!.id;
    expect(await h.runtime.store.hasSecret(requestId, h.clock.now())).toBe(true);

    await click();
    await h.slack.waitFor(() => shown()[0], { timeoutMs: 5000 });
    // Deleted right after views.open answered, not before.
    await vi.waitFor(async () =>
      expect(await h.runtime.store.hasSecret(requestId, h.clock.now())).toBe(false),
    );

    await click();
    await h.slack.waitFor(
      () =>
        h.slack
          .views(USERS.requester)
          .find((v) => v.callbackId === CALLBACK.token && /no longer available/.test(JSON.stringify(v.view))),
      { timeoutMs: 5000 },
    );
    expect(shown()).toHaveLength(1);
    const audit = (await h.runtime.store.listAudit(requestId)).map((a) => a.action);
    expect(audit.filter((a) => a.startsWith('secret_'))).toEqual([
      'secret_reveal_failed',
      'secret_revealed',
      'secret_reveal_refused',
    ]);
    const failed = (await h.runtime.store.listAudit(requestId)).find(
      (a) => a.action === 'secret_reveal_failed',
    );
    expect(failed?.detail).toMatchObject({ reason: 'expired_trigger_id' });
    expect(h.slack.violations()).toEqual([]);
  });
});
