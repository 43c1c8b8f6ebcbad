/**
 * Issue 8 §3 end to end: a held credential is shown once, in two phases (deleted only after the
 * modal opened), and no test secret is left in the database files.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VendorId } from '../../src/domain/request.ts';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';
import { openPostgresStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { CERT_USER1, PJM_SMITH } from './sample-forms.ts';
import {
  approve,
  deny,
  plainText,
  requestAccount,
  WHY,
  waitForCard,
  waitForCardText,
  waitForDm,
  waitForEphemeral,
} from './scenario.ts';

const run = promisify(execFile);

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

const databaseUrl = process.env.TEST_DATABASE_URL;
const requirePostgres = process.env.REQUIRE_POSTGRES === '1';

/** Every byte the database keeps: the SQLite db and -wal files, or a pg_dump of the test schema. */
interface RawDatabase {
  store?: Store;
  dump(h: Harness): Promise<string>;
  close(): Promise<void>;
}

const sqliteFiles: () => Promise<RawDatabase> = async () => ({
  async dump(h) {
    const files = ['access-desk.db', 'access-desk.db-wal'].map((f) => join(h.dir, f)).filter(existsSync);
    expect(files.length).toBeGreaterThan(0);
    return files.map((f) => readFileSync(f).toString('latin1')).join('\n');
  },
  close: async () => undefined,
});

async function postgresDump(): Promise<RawDatabase> {
  if (!databaseUrl) throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
  const url = databaseUrl;
  const schema = `secrets_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ url, schema, secretKey: generateSecretKey() });
  await store.migrate();
  return {
    store,
    async dump() {
      const { stdout } = await run('pg_dump', [`--dbname=${url}`, `--schema=${schema}`], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(stdout).toContain('user_secrets');
      return stdout;
    },
    async close() {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

async function requestAndApprove(
  h: Harness,
  vendor: VendorId,
  values: Parameters<typeof requestAccount>[2],
  subject: string,
) {
  await requestAccount(h.slack, vendor, values);
  const card = await waitForCard(h.slack, vendor, (m) => plainText(m).includes(subject));
  await approve(h.slack, card, USERS.approver1);
}

async function bulk(h: Harness, csv: string) {
  const known = new Set(h.slack.views(USERS.requester).map((v) => v.id));
  await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'cert bulk' });
  const view = await h.slack.waitFor(() =>
    h.slack
      .views(USERS.requester)
      .find((v) => v.open && !known.has(v.id) && v.callbackId === CALLBACK.newUser),
  );
  await h.slack.submitView({
    user: USERS.requester,
    viewId: view.id,
    values: { bulk_csv: { value: csv }, justification: { value: WHY } },
  });
}

async function settled(h: Harness) {
  await vi.waitFor(
    async () => {
      const open = await h.runtime.store.listRequests({ statuses: ['PENDING', 'APPROVED', 'PROVISIONING'] });
      expect(open).toEqual([]);
    },
    { timeout: 15_000, interval: 50 },
  );
}

const STORES = [
  ['sqlite', sqliteFiles],
  ...(databaseUrl || requirePostgres ? ([['postgres', postgresDump]] as const) : []),
] as const;

describe.each(STORES)('%s: no user secret rests in the database files', (_kind, open) => {
  it('after the three flows and a bulk batch, generated and typed passwords alike', async () => {
    const db = await open();
    const secrets: string[] = [];
    try {
      const h = await startHarness(db.store ? { store: db.store } : {});
      try {
        await requestAndApprove(h, 'pjm', PJM_SMITH, PJM_SMITH.username);
        await requestAndApprove(
          h,
          'pam360',
          {
            userType: 'api',
            FIRSTNAME: 'Sam',
            LASTNAME: 'Scan',
            USERNAME: 'sscan',
            EMAIL: 'sscan@example.com',
          },
          'sscan',
        );
        await requestAndApprove(
          h,
          'pam360',
          {
            userType: 'normal',
            FIRSTNAME: 'Nora',
            LASTNAME: 'Scan',
            USERNAME: 'nscan',
            EMAIL: 'n@example.com',
          },
          'nscan',
        );
        await requestAndApprove(h, 'cert', CERT_USER1, 'testuser1');
        await bulk(
          h,
          'userName,firstName,lastName,email\nscan1,Scan,One,scan1@localhost.local\nscan2,Scan,Two,scan2@localhost.local',
        );
        const card = await waitForCard(h.slack, 'cert', (m) => plainText(m).includes('2 users'));
        await approve(h.slack, card, USERS.approver1);
        await settled(h);
        // One reveal taken (the single Certification user); the others are left waiting, sealed.
        const dm = await waitForDm(h.slack, USERS.requester, /initial password.*testuser1/s);
        await h.slack.clickButton({
          user: USERS.requester,
          channel: dm.channel,
          ts: dm.ts,
          actionId: ACTION.revealToken,
        });
        const password = h.cert.passwordOf('testuser1')!;
        await h.slack.waitFor(() =>
          h.slack
            .views(USERS.requester)
            .find((v) => JSON.stringify(v.view).includes(password.replace(/&/g, '&amp;'))),
        );
        await vi.waitFor(async () =>
          expect(
            await h.runtime.store.listAudit(
              (await h.runtime.store.listRequests({ vendor: 'cert' })).find((r) =>
                JSON.stringify(r.payload).includes('"testuser1"'),
              )!.id,
            ),
          ).toContainEqual(expect.objectContaining({ action: 'secret_revealed' })),
        );
        const token = [...h.pam360.store.tokens.entries()].find(([, t]) => t.username === 'sscan')?.[0];
        const pam360Password = h.pam360.passwordOf('nscan');
        expect(pam360Password).toBeTruthy();
        secrets.push(
          token!,
          password,
          pam360Password!,
          h.cert.passwordOf('scan1')!,
          h.cert.passwordOf('scan2')!,
        );
        const raw = await db.dump(h);
        expect(raw).toMatch(/v1\.[\w-]{16}/);
        for (const s of secrets) expect(raw, 'a test secret in the database files').not.toContain(s);
      } finally {
        await h.close();
      }
      const typed = await startHarness({
        certPatch: { userPasswords: 'typed' },
        pam360Patch: { userPasswords: 'typed' },
        ...(db.store ? { store: db.store } : {}),
      });
      try {
        secrets.push('TypedScan1!x', 'TypedScan2!x', 'TypedDeny3!x', 'TypedPam4!x');
        await requestAndApprove(
          typed,
          'pam360',
          {
            userType: 'normal',
            FIRSTNAME: 'Tia',
            LASTNAME: 'Typed',
            USERNAME: 'ttyped',
            EMAIL: 'ttyped@example.com',
            PASSWORD: 'TypedPam4!x',
          },
          'ttyped',
        );
        await requestAndApprove(
          typed,
          'cert',
          {
            ...CERT_USER1,
            userName: 'typed1',
            email: 'typed1@localhost.local',
            password: 'TypedScan1!x',
          },
          'typed1',
        );
        await bulk(
          typed,
          'userName,password,firstName,lastName,email\ntyped2,TypedScan2!x,Typed,Two,typed2@localhost.local',
        );
        const card = await waitForCard(typed.slack, 'cert', (m) => plainText(m).includes('typed2'));
        await approve(typed.slack, card, USERS.approver1);
        await requestAccount(typed.slack, 'cert', {
          ...CERT_USER1,
          userName: 'typed3',
          email: 'typed3@localhost.local',
          password: 'TypedDeny3!x',
        });
        const denied = await waitForCard(typed.slack, 'cert', (m) => plainText(m).includes('typed3'));
        await deny(typed.slack, denied, USERS.approver1, 'not needed');
        await settled(typed);
        expect(typed.cert.passwordOf('typed1')).toBe('TypedScan1!x');
        expect(typed.cert.passwordOf('typed2')).toBe('TypedScan2!x');
        expect(typed.pam360.passwordOf('ttyped')).toBe('TypedPam4!x');
        const raw = await db.dump(typed);
        for (const s of secrets) expect(raw, 'a test secret in the database files').not.toContain(s);
        // Typed passwords are deleted once their request is final.
        for (const r of await typed.runtime.store.listRequests({})) {
          expect(await typed.runtime.store.readSecret(r.id, 'passwords', typed.clock.now())).toBeNull();
        }
      } finally {
        await typed.close();
      }
    } finally {
      await db.close();
    }
  });
});
