/** Shared set-up for the PAM360 tests: one simulator per file, provisioners closed after each test. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Pam360Settings } from '../../../../src/config/schema.ts';
import type { Json } from '../../../../src/domain/request.ts';
import { VendorError } from '../../../../src/errors.ts';
import type { Logger } from '../../../../src/observability/logger.ts';
import { createPam360Provisioner } from '../../../../src/vendors/pam360/pam360-provisioner.ts';
import type { Provisioner } from '../../../../src/vendors/provisioner.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import { FakeClock } from '../../../fakes/fake-clock.ts';
import { type Pam360Sim, type Pam360SimOptions, startPam360Sim } from '../../../fakes/sims/pam360-sim.ts';

export interface Pam360Kit {
  sim: Pam360Sim;
  clock: FakeClock;
  /** A provisioner wired to the sim (closed after the test). */
  make(overrides?: Partial<Pam360Settings>, log?: Logger): Provisioner;
}

/** Registers vitest hooks; the returned object is filled in before the first test runs. */
export function usePam360Sim(options?: Pam360SimOptions): Pam360Kit {
  const open: Provisioner[] = [];
  let started: Pam360Sim | undefined;
  const kit: Pam360Kit = {
    get sim() {
      if (!started) throw new Error('PAM360 sim not started yet');
      return started;
    },
    clock: new FakeClock('2026-11-24T09:00:00Z'),
    make(overrides = {}, log = captureLogger().log) {
      const p = createPam360Provisioner(kit.sim.settings(overrides), { log, clock: kit.clock });
      open.push(p);
      return p;
    },
  };
  beforeAll(async () => {
    started = await startPam360Sim(options);
  });
  beforeEach(() => kit.sim.reset());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });
  afterAll(() => started?.close());
  return kit;
}

export function details(overrides: Record<string, Json> = {}): Record<string, Json> {
  return {
    FIRSTNAME: 'Jane',
    LASTNAME: 'Smith',
    USERNAME: 'jsmith',
    EMAIL: 'jane.smith@example.com',
    ...overrides,
  };
}

export const payload = (overrides: Record<string, Json> = {}): Json => ({
  operation: { Details: details(overrides) },
});

/** Await a rejection and insist it is a VendorError. */
export async function vendorError(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof VendorError) return e;
    throw e;
  }
  throw new Error('expected a VendorError, but the call succeeded');
}
