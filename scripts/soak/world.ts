/**
 * What the bot replicas talk to, all in the soak's own process on 127.0.0.1: the fake Slack
 * (Socket Mode, each envelope to one connection), the three vendor simulators with short real-time
 * token and session lifetimes, and a fresh PostgreSQL schema that is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Config, configSchema } from '../../src/config/schema.ts';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { openPostgresStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { type FakeSlack, startFakeSlack } from '../../test/fakes/fake-slack/index.ts';
import { type CertSim, startCertSim } from '../../test/fakes/sims/certification-sim.ts';
import { type Pam360Sim, startPam360Sim } from '../../test/fakes/sims/pam360-sim.ts';
import { type PjmSim, startPjmSim } from '../../test/fakes/sims/pjm-sim.ts';

export const SOAK_CHANNELS = { general: 'C0GENERAL', pjm: 'C0PJM', pam360: 'C0PAM', cert: 'C0CERT' } as const;
export const REQUESTERS = Array.from({ length: 8 }, (_, i) => `U0REQ${i + 1}`);
export const APPROVERS = ['U0APPR1', 'U0APPR2', 'U0APPR3'];
export const OUTSIDER = 'U0OUTSIDER';

/** Real-time lifetimes, short enough that sessions and tokens expire many times in a run. */
const PJM_SESSION_TTL_S = 20;
const CERT_TOKEN_TTL_S = 15;
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface World {
  slack: FakeSlack;
  pjm: PjmSim;
  pam360: Pam360Sim;
  cert: CertSim;
  /** The soak's own view of the replicas' store (reads only). */
  store: Store;
  /** Settings file and DATABASE_URL a replica is started with. */
  replicaEnv: Record<string, string>;
  dir: string;
  /** Stops everything and drops the schema; the replicas' logs are kept when asked. */
  close(keepLogs: boolean): Promise<void>;
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Short leases so a killed replica's jobs are taken over within seconds. */
const SOAK_WORKER = { concurrency: 4, pollMs: 250, leaseMs: 10_000 };

export interface WorldOptions {
  /** The replicas' worker settings; `{}` for the defaults of src/config/schema.ts. */
  worker?: Partial<typeof SOAK_WORKER>;
  databaseUrl?: string | undefined;
}

export async function startWorld({
  worker = SOAK_WORKER,
  databaseUrl = process.env.TEST_DATABASE_URL,
}: WorldOptions = {}): Promise<World> {
  const baseUrl = databaseUrl ?? DEFAULT_DATABASE_URL;
  const schema = `soak_${randomBytes(5).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-soak-'));
  const slack = await startFakeSlack({
    users: [...REQUESTERS, ...APPROVERS, OUTSIDER].map((id) => ({ id })),
    channels: [
      { id: SOAK_CHANNELS.general, name: 'general' },
      { id: SOAK_CHANNELS.pjm, name: 'pjm-approvals' },
      { id: SOAK_CHANNELS.pam360, name: 'pam360-approvals' },
      { id: SOAK_CHANNELS.cert, name: 'cert-approvals' },
    ],
    defaultChannel: SOAK_CHANNELS.general,
  });
  const pjm = await startPjmSim({ knobs: { tokenTtlSeconds: PJM_SESSION_TTL_S } });
  const [pam360, cert] = await Promise.all([
    startPam360Sim(),
    startCertSim({ tokenTtlSeconds: CERT_TOKEN_TTL_S }),
  ]);
  const approval = { approvers: APPROVERS };
  const secretKey = generateSecretKey();
  const config: Config = configSchema.parse({
    slack: { mode: 'socket', botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl },
    store: { sqlitePath: join(dir, 'unused.db'), secretKey },
    worker,
    log: { level: 'info' },
    health: { port: 0 },
    shutdown: {},
    vendors: {
      pjm: pjm.settings({ ...approval, approvalChannel: SOAK_CHANNELS.pjm }),
      pam360: pam360.settings({ ...approval, approvalChannel: SOAK_CHANNELS.pam360 }),
      cert: cert.settings({ ...approval, approvalChannel: SOAK_CHANNELS.cert }),
    },
  });
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const store = await openPostgresStore({ url: baseUrl, schema, poolSize: 4, secretKey });
  return {
    slack,
    pjm,
    pam360,
    cert,
    store,
    dir,
    replicaEnv: { ACCESS_DESK_CONFIG: configFile, DATABASE_URL: withSearchPath(baseUrl, schema) },
    async close(keepLogs) {
      await store.close();
      await Promise.all([slack.close(), pjm.close(), pam360.close(), cert.close()]);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      if (!keepLogs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
