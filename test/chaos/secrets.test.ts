/**
 * No secret leaves through a side door: after a PJM registration, a PAM360 API-user creation (new
 * AUTHTOKEN), a PAM360 normal user and a Certification user with generated passwords, no log line, Slack call, Slack message
 * or audit event carries any of them. The one-time reveal modal is the only place a token may show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';
import { type Harness, startHarness, USERS } from '../integration/harness.ts';
import { approve, waitForDm, waitForReply } from '../integration/scenario.ts';
import { certForm, pam360Form, pjmForm, submitAndWaitForCard, waitForStatus } from './chaos-kit.ts';

describe('secrets stay secret', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('no AUTHTOKEN, bot token, password, client secret or session in logs, Slack calls, messages or audit', async () => {
    const flows = [
      {
        vendor: 'pjm',
        values: pjmForm('secretpjm1'),
        subject: 'secretpjm1',
        reply: /Company Account Manager/,
      },
      { vendor: 'pam360', values: pam360Form('secretpam1', 'api'), subject: 'secretpam1', reply: /USERID/ },
      { vendor: 'pam360', values: pam360Form('secretpam2'), subject: 'secretpam2', reply: /USERID/ },
      {
        vendor: 'cert',
        values: certForm('secretcert1'),
        subject: 'secretcert1',
        reply: /1 created/,
      },
    ] as const;
    const ids: string[] = [];
    for (const f of flows) {
      const { card, request } = await submitAndWaitForCard(h, f.vendor, f.values, f.subject);
      await approve(h.slack, card, USERS.approver1);
      expect((await waitForStatus(h, request.id, ['SUCCEEDED', 'FAILED', 'NEEDS_ATTENTION'])).status).toBe(
        'SUCCEEDED',
      );
      await waitForReply(h.slack, card, f.reply);
      ids.push(request.id);
    }
    const dm = await waitForDm(h.slack, USERS.requester, /Reveal/);
    await h.slack.clickButton({
      user: USERS.requester,
      channel: dm.channel,
      ts: dm.ts,
      actionId: ACTION.revealToken,
    });
    await h.runtime.worker.idle();

    const newToken = [...h.pam360.store.tokens.entries()].find(([, t]) => t.username === 'secretpam1')?.[0];
    if (!newToken) throw new Error('PAM360 issued no token for secretpam1');
    const reveal = await h.slack.waitFor(() =>
      h.slack.views(USERS.requester).find((v) => v.callbackId === CALLBACK.token),
    );
    // The scan below would see a token if it were there: the reveal modal does hold it.
    expect(JSON.stringify(reveal.view)).toContain(newToken);

    const secrets: Record<string, string> = {
      'new PAM360 AUTHTOKEN': newToken,
      'PAM360 bot AUTHTOKEN': h.pam360.botToken,
      'PAM360 user password (generated)': h.pam360.passwordOf('secretpam2') ?? 'missing',
      'Certification user password (generated)': h.cert.passwordOf('secretcert1') ?? 'missing',
      'Certification client secret': h.config.vendors.cert.clientSecret ?? 'missing',
      'PJM SSO password': h.pjm.botUser.password,
      'PJM client certificate passphrase': h.config.vendors.pjm.clientCertPassphrase ?? 'missing',
      ...Object.fromEntries(h.pjm.state.issuedTokens.map((t, i) => [`PJM session ${i}`, t])),
      ...Object.fromEntries(h.cert.issuedTokens().map((t, i) => [`Certification access token ${i}`, t])),
    };
    expect(h.pjm.state.issuedTokens.length).toBeGreaterThan(0);

    const isReveal = (args: Record<string, unknown>) =>
      JSON.stringify(args.view ?? {}).includes(CALLBACK.token);
    const slackCalls = h.slack
      .calls()
      .filter((c) => !(c.method === 'views.open' && isReveal(c.args)))
      .map((c) => JSON.stringify(c));
    const transcript = h.slack
      .transcript()
      .filter((e) => e.kind !== 'view_open')
      .map((e) => JSON.stringify(e));
    const audit = (await Promise.all(ids.map((id) => h.runtime.store.listAudit(id)))).flat();
    const logs = h.logText();
    expect(logs).toMatch(/Access Desk started/);
    expect(slackCalls.length).toBeGreaterThan(10);
    expect(audit.map((a) => a.action)).toContain('secret_revealed');

    const places = {
      'log lines': logs,
      'Slack calls': slackCalls.join('\n'),
      'Slack transcript': transcript.join('\n'),
      'audit trail': JSON.stringify(audit),
    };
    const leaks = Object.entries(places).flatMap(([where, text]) =>
      Object.entries(secrets)
        .filter(([, value]) => value.length >= 6 && text.includes(value))
        .map(([what]) => `${what} in ${where}`),
    );
    expect(leaks).toEqual([]);
  });
});
