/** Shared set-up for the PJM tests: a simulator, a fake clock, a capturing logger and a provisioner. */
import { createServer } from 'node:net';
import type { PjmSettings } from '../../../../src/config/schema.ts';
import type { Json } from '../../../../src/domain/request.ts';
import { VendorError } from '../../../../src/errors.ts';
import { PjmClient } from '../../../../src/vendors/pjm/pjm-client.ts';
import { resolvePjmConnection } from '../../../../src/vendors/pjm/pjm-connection.ts';
import { PjmProvisioner } from '../../../../src/vendors/pjm/pjm-provisioner.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import { FakeClock } from '../../../fakes/fake-clock.ts';
import { type PjmSim, type PjmSimOptions, startPjmSim } from '../../../fakes/sims/pjm-sim.ts';

const SMITHJ_FIELDS: { [key: string]: Json } = {
  username: 'smithj',
  firstName: 'John',
  lastName: 'Smith',
  jobTitle: 'Engineer',
  phone: '555-555-5555',
  employer: 'ACCT',
  employedAs: 'Employee',
  email: 'jsmith@fake.com',
  accountAccess: ['PJM Public'],
};

/** A valid registration payload for smithj, with some fields replaced. */
export const smithj = (overrides: { [key: string]: Json } = {}): Json => ({ ...SMITHJ_FIELDS, ...overrides });
export const SMITHJ: Json = smithj();

export interface PjmKit {
  sim: PjmSim;
  clock: FakeClock;
  capture: ReturnType<typeof captureLogger>;
  provisioner(overrides?: Partial<PjmSettings>): PjmProvisioner;
  client(overrides?: Partial<PjmSettings>): PjmClient;
  close(): Promise<void>;
}

export async function pjmKit(options: PjmSimOptions = {}): Promise<PjmKit> {
  const clock = new FakeClock();
  const sim = await startPjmSim({ clock, ...options });
  const capture = captureLogger();
  const opened: { close(): Promise<void> }[] = [];
  return {
    sim,
    clock,
    capture,
    provisioner(overrides = {}) {
      const settings = sim.settings(overrides);
      const client = new PjmClient(resolvePjmConnection(settings), { log: capture.log, clock });
      const p = new PjmProvisioner(settings, client);
      opened.push(p);
      return p;
    },
    client(overrides = {}) {
      const c = new PjmClient(resolvePjmConnection(sim.settings(overrides)), { log: capture.log, clock });
      opened.push(c);
      return c;
    },
    async close() {
      await Promise.all(opened.map((o) => o.close()));
      await sim.close();
    },
  };
}

/** The VendorError a promise rejects with (fails the test if it resolves or throws anything else). */
export async function vendorErrorOf(p: Promise<unknown>): Promise<VendorError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VendorError) return e;
    throw e;
  }
  throw new Error('expected a VendorError, but the call succeeded');
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
