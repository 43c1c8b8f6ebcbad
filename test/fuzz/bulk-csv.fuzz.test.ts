/**
 * Pasted CSV for a bulk Certification request, through the real flow and a real SQLite store:
 * random headers (known, unknown, repeated), cells with quotes, commas, line breaks and odd text.
 * Either one request is stored with its jobs, or a ValidationError gives the modal's bulk field a
 * short, non-empty message and nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { bulkErrorText } from '../../src/flows/bulk-csv.ts';
import type { FlowDeps } from '../../src/flows/deps.ts';
import { submitRequest } from '../../src/flows/submit-request.ts';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { openSqliteStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { buildVendors } from '../../src/vendors/registry.ts';
import { certForm } from '../chaos/chaos-kit.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { FakeClock } from '../fakes/fake-clock.ts';
import { type CertSim, startCertSim } from '../fakes/sims/certification-sim.ts';
import { RUNS, typed } from './fuzz-kit.ts';

const MAX_MESSAGE = 1500;

describe('fuzzing pasted CSV (bulk)', () => {
  let cert: CertSim;
  let store: Store;
  let deps: FlowDeps;
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-fuzz-'));
  beforeAll(async () => {
    cert = await startCertSim();
    store = openSqliteStore({ path: join(dir, 'fuzz.db'), secretKey: generateSecretKey() });
    await store.migrate();
    const clock = new FakeClock();
    const log = captureLogger('warn').log;
    const settings = cert.settings({ approvalChannel: 'C0CERT' });
    const disabled = { ...settings, enabled: false };
    deps = {
      store,
      clock,
      log,
      vendors: buildVendors({ cert: settings, pjm: disabled, pam360: disabled } as never, { log, clock }),
      adminUsers: [],
      newId: () => randomUUID(),
      wake: () => undefined,
    };
  });
  afterAll(async () => {
    await store?.close();
    await cert?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fields = () =>
    deps.vendors
      .get('cert')!
      .provisioner.formFields()
      .map((f) => f.id);

  it('a stored request with its jobs, or one clear message under the bulk field and nothing stored', async () => {
    const header = fc.oneof(
      fc.shuffledSubarray(fields(), { minLength: 1 }),
      fc.array(fc.oneof(fc.constantFrom(...fields()), fc.string({ maxLength: 8 })), {
        minLength: 1,
        maxLength: 10,
      }),
    );
    const validRow = fc.nat().map((n) => certForm(`bulk${n % 100000}`) as Record<string, unknown>);
    const csv = header.chain((columns) =>
      fc
        .array(
          fc.oneof(
            validRow.map((row) =>
              columns.map((c) => (Array.isArray(row[c]) ? row[c].join(';') : String(row[c] ?? ''))),
            ),
            fc.array(typed, { minLength: columns.length, maxLength: columns.length }),
          ),
          { maxLength: 5 },
        )
        .chain((rows) =>
          fc
            .constantFrom('\n', '\r\n')
            .map((newline) => Papa.unparse({ fields: columns, data: rows }, { newline })),
        ),
    );
    const pasted = fc.oneof(
      csv,
      fc.string({ maxLength: 200 }),
      csv.map((c) => `\uFEFF${c}`),
    );
    // Nothing may bypass the logger (papaparse warns on the console about repeated headers).
    const console = vi.spyOn(globalThis.console, 'warn');
    await fc.assert(
      fc.asyncProperty(pasted, async (text) => {
        const before = (await store.listRequests({ limit: 10_000 })).length;
        try {
          const req = await submitRequest(deps, {
            vendor: 'cert',
            requester: { userId: 'U0REQUESTER', teamId: 'T0FAKE' },
            bulkCsv: text,
            justification: 'Fuzzed batch',
          });
          const kinds = (await store.listJobs(req.id)).map((j) => j.kind);
          expect(kinds).toEqual(expect.arrayContaining(['render-card', 'precheck']));
          expect((await store.listRequests({ limit: 10_000 })).length).toBe(before + 1);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          const message = bulkErrorText(e as ValidationError);
          expect(message.trim()).not.toBe('');
          expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE);
          expect((await store.listRequests({ limit: 10_000 })).length).toBe(before);
        }
      }),
      { numRuns: RUNS.unit },
    );
    expect(console).not.toHaveBeenCalled();
    console.mockRestore();
  });
});
