/**
 * /metrics and /readyz on the health port after real conversations: one request approved and
 * created, one denied, a Slack 429, a delivery sent twice. Each series is asserted with its labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from './harness.ts';
import { approve, deny, requestAccount, waitForCard, waitForCardText, waitForDm } from './scenario.ts';

/** The value of one sample, found by metric name and exact label set. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '')
      .split(',')
      .filter(Boolean)
      .filter((l) => !l.startsWith('le='))
      .sort()
      .join(',');
    if (got === want && !(m[2] ?? '').includes('le=')) return Number(m[3]);
  }
  return undefined;
}

describe('/metrics after an end-to-end flow', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness({ health: true });
    base = `http://127.0.0.1:${h.runtime.health!.port}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is ready: store, migrations and the Socket Mode connection', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { store: 'ok', migrations: 'ok', slack: 'ok' } });
  });

  it('counts requests, decisions, outcomes, jobs, Slack calls and duplicate deliveries', async () => {
    // One 429 on the first card post: the render-card job waits for Retry-After and posts again.
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSec: 0 });
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Mia',
      LASTNAME: 'Metric',
      USERNAME: 'mmetric',
      EMAIL: 'mia@example.com',
    });
    const card = await waitForCard(h.slack, 'pam360');
    await waitForCardText(h.slack, 'pam360', card, /Not found at the vendor/);
    await approve(h.slack, card, USERS.approver1);
    await waitForCardText(h.slack, 'pam360', card, /Created in PAM360/);
    await waitForDm(h.slack, USERS.requester, /Created|created/);

    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Dan',
      LASTNAME: 'Denied',
      USERNAME: 'ddenied',
      EMAIL: 'dan@example.com',
    });
    const second = await waitForCard(h.slack, 'pam360', (m) => m.ts !== card.ts);
    await deny(h.slack, second, USERS.approver2, 'Not needed');
    await waitForCardText(h.slack, 'pam360', second, /Denied/);

    const homeOpened = {
      type: 'event_callback',
      team_id: h.slack.identity.teamId,
      api_app_id: h.slack.identity.appId,
      event_id: 'Ev0METRICS01',
      event_time: 1,
      event: {
        type: 'app_home_opened',
        user: USERS.requester,
        channel: 'D0HOME',
        tab: 'home',
        event_ts: '1.0',
      },
    };
    await h.slack.deliver('events_api', homeOpened);
    await h.slack.deliver('events_api', homeOpened);

    // The card can show the denial before the denial's own jobs have all run.
    await h.runtime.worker.idle();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const s = (name: string, labels: Record<string, string> = {}) => sample(text, name, labels);

    expect(s('access_desk_requests', { vendor: 'pam360', status: 'SUCCEEDED' })).toBe(1);
    expect(s('access_desk_requests', { vendor: 'pam360', status: 'DENIED' })).toBe(1);
    expect(s('access_desk_request_transitions_total', { vendor: 'pam360', from: 'new', to: 'PENDING' })).toBe(
      2,
    );
    for (const [from, to] of [
      ['PENDING', 'APPROVED'],
      ['APPROVED', 'PROVISIONING'],
      ['PROVISIONING', 'SUCCEEDED'],
      ['PENDING', 'DENIED'],
    ])
      expect(s('access_desk_request_transitions_total', { vendor: 'pam360', from: from!, to: to! })).toBe(1);
    expect(s('access_desk_request_decision_seconds_count', { vendor: 'pam360', decision: 'approved' })).toBe(
      1,
    );
    expect(s('access_desk_request_decision_seconds_count', { vendor: 'pam360', decision: 'denied' })).toBe(1);
    expect(s('access_desk_approval_outcome_seconds_count', { vendor: 'pam360', outcome: 'SUCCEEDED' })).toBe(
      1,
    );
    expect(s('access_desk_slack_api_calls_total', { method: 'chat.postMessage' })).toBeGreaterThanOrEqual(3);
    expect(s('access_desk_slack_api_calls_total', { method: 'auth.test' })).toBe(1);
    expect(s('access_desk_slack_api_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    expect(
      s('access_desk_slack_api_errors_total', { method: 'chat.postMessage', error: 'ratelimited' }),
    ).toBe(1);
    expect(s('access_desk_slack_deliveries_deduplicated_total')).toBe(1);
    // Every job has run: the kinds seen are reported with depth 0, or not at all.
    for (const line of text.split('\n').filter((l) => l.startsWith('access_desk_jobs_queued{')))
      expect(line).toMatch(/ 0$/);
    expect(text).toContain('# TYPE access_desk_jobs_oldest_age_seconds gauge');
    expect(text).toContain('# TYPE access_desk_vendor_call_seconds histogram');
    // Fed by VendorHttp's onCall: every PAM360 call of the flow, by operation.
    expect(s('access_desk_vendor_call_seconds_count', { vendor: 'pam360', operation: 'create user' })).toBe(
      1,
    );
    expect(
      s('access_desk_vendor_call_seconds_count', { vendor: 'pam360', operation: 'get user id' }),
    ).toBeGreaterThanOrEqual(2);
    expect(h.slack.violations()).toEqual([]);
  });

  it('logs one info line per life-cycle step, with request id, vendor, actor and from → to', () => {
    const lines = h
      .logText()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.component === 'lifecycle');
    const approved = lines.filter((l) => l.from === 'PENDING' && l.to === 'APPROVED');
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({
      level: 'info',
      vendor: 'pam360',
      actor: USERS.approver1,
      msg: 'request PENDING → APPROVED',
    });
    const id = approved[0]!.requestId;
    expect(typeof id).toBe('string');
    expect(lines.filter((l) => l.requestId === id).map((l) => `${l.from} → ${l.to}`)).toEqual([
      'null → PENDING',
      'PENDING → APPROVED',
      'APPROVED → PROVISIONING',
      'PROVISIONING → SUCCEEDED',
    ]);
  });
});
