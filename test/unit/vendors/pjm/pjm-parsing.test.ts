/** PJM text formats: userSearch CSV by header name, settings → connection. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pjmSettingsSchema } from '../../../../src/config/schema.ts';
import { ConfigError } from '../../../../src/errors.ts';
import { resolvePjmConnection } from '../../../../src/vendors/pjm/pjm-connection.ts';
import { parsePjmUserSearchCsv } from '../../../../src/vendors/pjm/pjm-csv.ts';
import { testPki } from '../../../fakes/tls.ts';

describe('parsePjmUserSearchCsv', () => {
  it('stops at the row cap with a VendorError instead of parsing an unbounded answer', () => {
    const rows = (n: number) =>
      ['Username,Email', ...Array.from({ length: n }, (_, i) => `u${i},u${i}@fake.com`)].join('\n');
    expect(parsePjmUserSearchCsv(rows(3), 3)).toHaveLength(3);
    expect(() => parsePjmUserSearchCsv(rows(4), 3)).toThrow(
      'PJM userSearch answered with more than 3 rows; narrow the search',
    );
  });

  const header =
    'Account ID,Account,Account shortname,Last name,First name,Username,Email,Phone,Employed as,System account,Lock Status,Lock Timestamp,User Status,Single User/Multi Account';

  it('reads the seed’s sample row with a quoted comma', () => {
    const users = parsePjmUserSearchCsv(
      `${header}\n999999,"Account Test Company, LLC",ACCT,Smith,John,smithj,jsmith@fake.com,555-555-5555,,No,No,,Active,Yes`,
    );
    expect(users).toEqual([
      {
        username: 'smithj',
        firstName: 'John',
        lastName: 'Smith',
        email: 'jsmith@fake.com',
        phone: '555-555-5555',
        employedAs: '',
        systemAccount: 'No',
        lockStatus: 'No',
        userStatus: 'Active',
        accounts: [{ id: '999999', name: 'Account Test Company, LLC', shortName: 'ACCT' }],
      },
    ]);
  });

  it('works by header name: old reports without "Employed as", reordered and extra columns', () => {
    const csv =
      '\uFEFFUsername,Brand New,Account,Email\r\nsmithj,"x, y","Account Test Company, LLC",a@b.c\r\nSMITHJ,,Other,a@b.c\r\n';
    const users = parsePjmUserSearchCsv(csv);
    expect(users).toHaveLength(1);
    expect(users[0]?.accounts.map((a) => a.name)).toEqual(['Account Test Company, LLC', 'Other']);
    expect(users[0]?.employedAs).toBe('');
  });

  it('an empty body or a header alone means nobody', () => {
    expect(parsePjmUserSearchCsv('')).toEqual([]);
    expect(parsePjmUserSearchCsv(`${header}\r\n`)).toEqual([]);
  });

  it('a CSV without a Username column is an unknown vendor error', () => {
    expect(() => parsePjmUserSearchCsv('Name,Email\nx,y')).toThrow(/without a Username column/);
  });
});

describe('resolvePjmConnection', () => {
  const base = { ssoUsername: 'bot', ssoPassword: 'pw' };

  it.each([
    ['prod', 'https://accountmanager.pjm.com/accountmanager/', 'https://sso.pjm.com', 'pjmauth'],
    [
      'train',
      'https://accountmanagertrain.pjm.com/accountmanager/',
      'https://ssotrain.pjm.com',
      'pjmauthtrain',
    ],
  ] as const)('%s hosts and cookie by default', (environment, am, sso, cookie) => {
    const c = resolvePjmConnection(pjmSettingsSchema.parse({ ...base, environment }));
    expect([c.accountManagerUrl, c.ssoUrl, c.cookieName]).toEqual([am, sso, cookie]);
  });

  it('URL settings override the hosts but not the cookie name', () => {
    const c = resolvePjmConnection(
      pjmSettingsSchema.parse({
        ...base,
        environment: 'prod',
        accountManagerUrl: 'https://am.test/am',
        ssoUrl: 'https://sso.test/',
      }),
    );
    expect([c.accountManagerUrl, c.ssoUrl, c.cookieName]).toEqual([
      'https://am.test/am/',
      'https://sso.test',
      'pjmauth',
    ]);
  });

  it('opens the certificate files at start-up and names the setting that is wrong', () => {
    const pki = testPki();
    const dir = mkdtempSync(join(tmpdir(), 'pjm-files-'));
    const write = (name: string, data: string | Buffer) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const good = {
      ssoUsername: 'bot',
      ssoPassword: 'pw',
      clientCertP12: write('client.p12', pki.clientP12),
      clientCertPassphrase: pki.clientP12Passphrase,
      caFile: write('ca.pem', pki.caPem),
    };
    const issues = (overrides: Record<string, string>) => {
      try {
        resolvePjmConnection(pjmSettingsSchema.parse({ ...good, ...overrides }));
        return [];
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return e.issues.map((i) => `${i.setting}: ${i.message}`);
      }
    };
    expect(issues({})).toEqual([]);
    expect(issues({ clientCertPassphrase: 'not-it' })).toEqual([
      'PJM_CLIENT_CERT_PASSPHRASE: the PKCS#12 in PJM_CLIENT_CERT_P12 does not open with PJM_CLIENT_CERT_PASSPHRASE (mac verify failure)',
    ]);
    expect(issues({ clientCertP12: write('not.p12', pki.caPem) })).toEqual([
      expect.stringMatching(
        /^PJM_CLIENT_CERT_P12: PJM_CLIENT_CERT_P12 is not a PKCS#12 file that opens \(.+\)$/,
      ),
    ]);
    expect(issues({ caFile: write('ca.txt', 'just text'), clientCertP12: '/nope/client.p12' })).toEqual([
      `PJM_CA_FILE: ${join(dir, 'ca.txt')} is not a PEM certificate (no BEGIN CERTIFICATE block)`,
      'PJM_CLIENT_CERT_P12: cannot read /nope/client.p12 (ENOENT)',
    ]);
  });
});
