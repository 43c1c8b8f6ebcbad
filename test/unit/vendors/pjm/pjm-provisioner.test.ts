/** Happy paths, pre-check and lookup of the PJM provisioner against the simulator. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vendorMrkdwn } from '../../../../src/slack/views/vendor-text.ts';
import { PJM_DONE_HEADLINE } from '../../../../src/vendors/pjm/pjm-provisioner.ts';
import { type PjmKit, pjmKit, SMITHJ, smithj } from './pjm-kit.ts';

let kit: PjmKit;
beforeEach(async () => {
  kit = await pjmKit();
});
afterEach(async () => {
  await kit.close();
});

const searches = () => kit.sim.requests.filter((r) => r.route === 'userSearch').map((r) => r.query);

describe('PJM submit', () => {
  it('submits over mutual TLS and reports pending CAM approval in PJM’s own words, then signs out', async () => {
    const outcome = await kit.provisioner().submit(SMITHJ);
    expect(outcome.kind === 'done' && outcome.lines.every((l) => typeof l === 'object')).toBe(true);
    expect({ ...outcome, lines: outcome.kind === 'done' ? outcome.lines.map(vendorMrkdwn) : [] }).toEqual({
      kind: 'done',
      label: "Submitted — pending your Company Account Manager's approval",
      headline: 'PJM accepted the registration',
      lines: [
        'Your account and access request has been submitted to your Company Account Manager for approval. You will receive an email to create your password. If your request is urgent, please <http://www.pjm.com/about-pjm/who-we-are/contact-us.aspx|Contact PJM>.',
      ],
    });
    expect(outcome.headline).toBe(PJM_DONE_HEADLINE);
    expect(kit.sim.requests.map((r) => `${r.route} ${r.path}`)).toEqual([
      'authenticate /access/authenticate/pjmauthcert',
      'registrations /accountmanager/rest/secure/registrations',
      'logout /access/logout',
    ]);
    expect(kit.sim.store.users.get('smithj')).toMatchObject({ status: 'Pending', phone: '555-555-5555' });
    expect(kit.sim.liveSessions()).toBe(0);
  });

  it('signs in with username and password only when no certificate is configured', async () => {
    kit.sim.setKnobs({ requireClientCert: false });
    const outcome = await kit
      .provisioner({ clientCertP12: undefined, clientCertPassphrase: undefined })
      .submit(SMITHJ);
    expect(outcome.kind).toBe('done');
    expect(kit.sim.requests[0]?.path).toBe('/access/authenticate/');
  });

  it('a username that already exists is PJM’s rejection, not an error', async () => {
    kit.sim.seedUser({
      username: 'smithj',
      firstName: 'J',
      lastName: 'S',
      email: 'x@fake.com',
      accounts: ['ACCT'],
    });
    const outcome = await kit.provisioner().submit(SMITHJ);
    expect(outcome).toMatchObject({
      kind: 'rejected',
      messages: [{ html: 'Username smithj already exists' }],
    });
  });
});

describe('PJM precheck', () => {
  it('absent when PJM shows pending registrations and nothing matches', async () => {
    const result = await kit.provisioner({ pendingVisibleInSearch: true }).precheck(SMITHJ);
    expect(result).toEqual({ state: 'absent', notes: [] });
    expect(searches()).toEqual([
      { username: 'smithj', activeOnly: 'F' },
      { emailAddress: 'jsmith@fake.com', activeOnly: 'F' },
    ]);
    expect(kit.sim.liveSessions()).toBe(0);
  });

  it('unknown when pending registrations may be invisible in search', async () => {
    const result = await kit.provisioner({ pendingVisibleInSearch: false }).precheck(SMITHJ);
    expect(result.state).toBe('unknown');
    expect(result.notes).toEqual([
      "No PJM user smithj found, but registrations awaiting Company Account Manager approval may not be visible in PJM's search",
    ]);
  });

  it('exists for the same username, naming its accounts and status', async () => {
    kit.sim.seedUser({
      username: 'SmithJ',
      firstName: 'John',
      lastName: 'Smith',
      email: 'john.smith@fake.com',
      status: 'Inactive',
      accounts: ['ACCT', 'OTHR'],
    });
    const result = await kit.provisioner().precheck(SMITHJ);
    expect(result).toEqual({
      state: 'exists',
      notes: [
        'SmithJ already exists in PJM (Inactive) — accounts: Account Test Company, LLC (ACCT); Other Power & Light (OTHR)',
      ],
    });
  });

  it('a pending registration made by submit is found afterwards', async () => {
    const p = kit.provisioner({ pendingVisibleInSearch: true });
    await p.submit(SMITHJ);
    const result = await p.precheck(SMITHJ);
    expect(result.state).toBe('exists');
    expect(result.notes[0]).toContain('(Pending)');
  });

  it('warns when another username holds the e-mail, but decides by username', async () => {
    kit.sim.seedUser({
      username: 'jsmith77',
      firstName: 'J',
      lastName: 'Smith',
      email: 'JSmith@fake.com',
      accounts: ['ACCT'],
    });
    const result = await kit.provisioner({ pendingVisibleInSearch: true }).precheck(smithj());
    expect(result).toEqual({
      state: 'absent',
      notes: ['jsmith@fake.com is already used by PJM user jsmith77 (Active)'],
    });
  });
});

describe('PJM lookup', () => {
  const seedTwoAccounts = () =>
    kit.sim.seedUser({
      username: 'smithj',
      firstName: 'John',
      lastName: 'Smith',
      email: 'jsmith@fake.com',
      phone: '555-555-5555',
      accounts: ['ACCT', 'OTHR'],
    });

  it.each(['standard', 'reordered-with-extra'] as const)(
    'a user with two accounts, one named "Account Test Company, LLC", is one user with both accounts (%s columns)',
    async (layout) => {
      kit.sim.setKnobs({ csvLayout: layout });
      seedTwoAccounts();
      const result = await kit.provisioner().lookup('jsmith@fake.com');
      expect(result.users).toEqual([
        {
          title: 'John Smith (smithj)',
          lines: [
            { label: 'E-mail', value: 'jsmith@fake.com' },
            { label: 'Phone', value: '555-555-5555' },
            { label: 'Employed as', value: 'Employee' },
            { label: 'Status', value: 'Active' },
            { label: 'System account', value: 'No' },
          ],
          accounts: [
            'Account Test Company, LLC (ACCT) — id 999999',
            'Other Power & Light (OTHR) — id 888888',
          ],
        },
      ]);
    },
  );

  it('routes the query: @ → emailAddress, a space → first and last name, else username (wildcards kept)', async () => {
    seedTwoAccounts();
    const p = kit.provisioner();
    expect((await p.lookup('  jsmith@fake.com ')).users).toHaveLength(1);
    expect((await p.lookup('John Smith')).users).toHaveLength(1);
    expect((await p.lookup('smi*')).users).toHaveLength(1);
    expect(searches()).toEqual([
      { emailAddress: 'jsmith@fake.com', activeOnly: 'F' },
      { firstName: 'John', lastName: 'Smith', activeOnly: 'F' },
      { username: 'smi*', activeOnly: 'F' },
    ]);
  });

  it.each(['header', 'empty'] as const)('no match (%s body) is an empty answer', async (shape) => {
    kit.sim.setKnobs({ emptySearchResult: shape });
    expect(await kit.provisioner().lookup('nobody1')).toEqual({ users: [] });
  });

  it('cuts long answers to ten users with a note', async () => {
    for (let i = 0; i < 12; i++) {
      kit.sim.seedUser({
        username: `tester${i}`,
        firstName: 'T',
        lastName: `${i}`,
        email: `t${i}@fake.com`,
        accounts: ['ACCT'],
      });
    }
    const result = await kit.provisioner().lookup('tester*');
    expect(result.users).toHaveLength(10);
    expect(result.truncatedNote).toBe('showing 10 of 12');
  });

  it('an empty query is a validation error on the query field', async () => {
    await expect(kit.provisioner().lookup('  ')).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { query: 'Give an e-mail address, a username, or a first and last name.' },
    });
  });
});
