/** Shared set-up for the Certification tests: real provisioner ↔ real simulator on one fake clock. */
import type { CertSettings } from '../../../../src/config/schema.ts';
import type { Json } from '../../../../src/domain/request.ts';
import { VendorError } from '../../../../src/errors.ts';
import type { Logger } from '../../../../src/observability/logger.ts';
import { createCertProvisioner } from '../../../../src/vendors/certification/certification-provisioner.ts';
import type { Provisioner, SubmitOutcome } from '../../../../src/vendors/provisioner.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import { FakeClock } from '../../../fakes/fake-clock.ts';
import { type CertSim, type CertSimOptions, startCertSim } from '../../../fakes/sims/certification-sim.ts';

export interface Harness {
  sim: CertSim;
  clock: FakeClock;
  log: Logger;
  lines: string[];
  /** A provisioner on the sim's settings (plus overrides); closed by `close()`. */
  provisioner(overrides?: Partial<CertSettings>): Provisioner;
  close(): Promise<void>;
}

export async function startHarness(options: CertSimOptions = {}): Promise<Harness> {
  const clock = new FakeClock('2026-11-24T09:00:10Z');
  const sim = await startCertSim({ now: () => clock.now(), ...options });
  const { log, lines } = captureLogger();
  const opened: Provisioner[] = [];
  return {
    sim,
    clock,
    log,
    lines,
    provisioner(overrides = {}) {
      const p = createCertProvisioner(sim.settings(overrides), { log, clock });
      opened.push(p);
      return p;
    },
    async close() {
      await Promise.all(opened.map((p) => p.close()));
      await sim.close();
    },
  };
}

/** A valid wire user number `n` (password only from the seed's allowed characters). */
export function user(n: number, extra: Record<string, Json> = {}): { [key: string]: Json } {
  return {
    userName: `testuser${n}`,
    password: `Password${n}!`,
    name: { firstName: 'Test', lastName: `User${n}`, displayName: `Test User${n}` },
    email: `testuser${n}@localhost.local`,
    userAccess: {
      r2RAdmin: false,
      r2REnabled: true,
      accessClose: true,
      r2RReadOnly: false,
      accessCompliance: false,
    },
    lockedOut: false,
    ...extra,
  };
}

export const payloadOf = (...users: { [key: string]: Json }[]): Json => ({ users });

/** The error a promise rejects with, which must be a VendorError. */
export async function vendorError(p: Promise<unknown>): Promise<VendorError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VendorError) return e;
    throw e;
  }
  throw new Error('expected a VendorError, but the call succeeded');
}

export function done(outcome: SubmitOutcome) {
  if (outcome.kind !== 'done') throw new Error(`expected done, got ${outcome.kind}: ${outcome.headline}`);
  return outcome;
}

export function rejected(outcome: SubmitOutcome) {
  if (outcome.kind !== 'rejected')
    throw new Error(`expected rejected, got ${outcome.kind}: ${outcome.headline}`);
  return outcome;
}
