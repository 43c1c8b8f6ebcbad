/**
 * The whole bot, for real: the Bolt app over Socket Mode (or signed HTTP) against the fake Slack,
 * the three vendor clients against their simulators, the worker, and a SQLite store on disk.
 * The sandbox (scripts/sandbox.ts) runs the same thing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, configSchema } from '../../src/config/schema.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { Logger } from '../../src/observability/logger.ts';
import { type Runtime, startAccessDesk } from '../../src/runtime.ts';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import type { Store } from '../../src/store/store.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { FakeClock } from '../fakes/fake-clock.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack/index.ts';
import { type CertSim, startCertSim } from '../fakes/sims/certification-sim.ts';
import { type Pam360Sim, startPam360Sim } from '../fakes/sims/pam360-sim.ts';
import { type PjmSim, startPjmSim } from '../fakes/sims/pjm-sim.ts';

export const CHANNELS = {
  general: 'C0GENERAL',
  pjm: 'C0PJMAPPROVE',
  pam360: 'C0PAMAPPROVE',
  cert: 'C0CERTAPPROVE',
} as const;

export const USERS = {
  requester: 'U0REQUESTER',
  approver1: 'U0APPROVER1',
  approver2: 'U0APPROVER2',
  outsider: 'U0OUTSIDER',
  groupMember: 'U0GROUPIE',
} as const;

export const APPROVER_GROUP = 'S0ACCESSADMINS';

export interface HarnessOptions {
  mode?: 'socket' | 'http';
  /** Patch applied to every vendor's settings (e.g. requiredApprovals: 2). */
  vendorPatch?: Partial<Config['vendors']['pjm']>;
  /** Patch for the PAM360 settings only (e.g. roles the sim does not know). */
  pam360Patch?: Partial<Config['vendors']['pam360']>;
  /** Patch for the worker settings (e.g. concurrency: 2). */
  workerPatch?: Partial<Config['worker']>;
  /** Patch for the Certification settings only (e.g. userPasswords: 'typed'). */
  certPatch?: Partial<Config['vendors']['cert']>;
  /** Patch for the Slack settings (e.g. teamId). */
  slackPatch?: Partial<Config['slack']>;
  /** A store to run on (e.g. PostgreSQL in a test schema) instead of SQLite in the temp folder. */
  store?: Store;
  /** Use a real clock (the sandbox) instead of a fake one. */
  clock?: Clock;
  /** Where log lines go; captured in memory by default. */
  log?: Logger;
  /** Start the health server (/healthz, /readyz, /metrics) on a free loopback port. */
  health?: boolean;
}

export interface Harness {
  /** The temp folder holding the SQLite store (access-desk.db and its -wal). */
  dir: string;
  slack: FakeSlack;
  pjm: PjmSim;
  pam360: Pam360Sim;
  cert: CertSim;
  runtime: Runtime;
  config: Config;
  clock: Clock;
  /** Captured log lines (when no logger was given). */
  logText(): string;
  close(): Promise<void>;
}

/** A port nothing listens on right now (for servers that cannot be given port 0). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** The fake Slack (with the harness's users and channels) and the three vendor simulators. */
export interface Fakes {
  slack: FakeSlack;
  pjm: PjmSim;
  pam360: Pam360Sim;
  cert: CertSim;
  /** Every vendor's settings against its simulator, approved in the harness's channels. */
  vendorSettings(opts?: Pick<HarnessOptions, 'vendorPatch' | 'pam360Patch' | 'certPatch'>): Config['vendors'];
  /** Writes the settings file (`ACCESS_DESK_CONFIG`) a bot process reads to run against these fakes. */
  writeSettingsFile(path: string): string;
  close(): Promise<void>;
}

/** The fake workspace of every harness: its people, the approver group and the channels. */
export const startWorkspaceSlack = (): Promise<FakeSlack> =>
  startFakeSlack({
    users: Object.values(USERS).map((id) => ({ id })),
    userGroups: { [APPROVER_GROUP]: [USERS.groupMember] },
    channels: [
      { id: CHANNELS.general, name: 'general' },
      { id: CHANNELS.pjm, name: 'pjm-approvals' },
      { id: CHANNELS.pam360, name: 'pam360-approvals' },
      { id: CHANNELS.cert, name: 'cert-approvals' },
    ],
    defaultChannel: CHANNELS.general,
  });

export async function startFakes(): Promise<Fakes> {
  const slack = await startWorkspaceSlack();
  const [pjm, pam360, cert] = await Promise.all([startPjmSim(), startPam360Sim(), startCertSim()]);
  const vendorSettings: Fakes['vendorSettings'] = (opts = {}) => {
    const patch = { approvers: [USERS.approver1, USERS.approver2], ...opts.vendorPatch };
    return {
      pjm: pjm.settings({ ...patch, approvalChannel: CHANNELS.pjm }),
      pam360: pam360.settings({ ...patch, ...opts.pam360Patch, approvalChannel: CHANNELS.pam360 }),
      cert: cert.settings({ ...patch, ...opts.certPatch, approvalChannel: CHANNELS.cert }),
    };
  };
  return {
    slack,
    pjm,
    pam360,
    cert,
    vendorSettings,
    writeSettingsFile(path) {
      const slackSettings = { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl };
      writeFileSync(path, JSON.stringify({ slack: slackSettings, vendors: vendorSettings() }));
      return path;
    },
    async close() {
      await Promise.all([slack.close(), pjm.close(), pam360.close(), cert.close()]);
    },
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const clock = opts.clock ?? new FakeClock();
  const captured = opts.log ? null : captureLogger('debug');
  const log = opts.log ?? captured!.log;
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-it-'));
  const fakes = await startFakes();
  const { slack, pjm, pam360, cert } = fakes;
  const mode = opts.mode ?? 'socket';
  const port = mode === 'http' ? await freePort() : 3000;
  const signingSecret = 'test-signing-secret-5f1e';
  const config = configSchema.parse({
    slack: {
      mode,
      botToken: slack.botToken,
      ...(mode === 'socket' ? { appToken: slack.appToken } : { signingSecret, port }),
      apiUrl: slack.apiUrl,
      adminUsers: [],
      ...opts.slackPatch,
    },
    store: { sqlitePath: join(dir, 'access-desk.db'), secretKey: generateSecretKey() },
    worker: { concurrency: 4, pollMs: 25, leaseMs: 60_000, ...opts.workerPatch },
    log: { level: 'debug' },
    health: opts.health ? { port: await freePort(), host: '127.0.0.1' } : { port: 0 },
    shutdown: {},
    vendors: fakes.vendorSettings(opts),
  });
  const runtime = await startAccessDesk({ config, log, clock, ...(opts.store ? { store: opts.store } : {}) });
  if (mode === 'http')
    slack.useHttpMode({ requestUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret });
  else await slack.waitFor(() => slack.connections > 0, { timeoutMs: 10_000 });
  return {
    dir,
    slack,
    pjm,
    pam360,
    cert,
    runtime,
    config,
    clock,
    logText: () => captured?.text() ?? '',
    async close() {
      await runtime.stop();
      await fakes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
