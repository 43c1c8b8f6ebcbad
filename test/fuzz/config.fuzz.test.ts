/**
 * Random configuration: a config file of random YAML/JSON (or a valid shape with random leaves),
 * random values for every setting's environment variable. loadConfig either returns a
 * configuration or throws one ConfigError that names the settings; never another error, and never
 * a secret's value in the message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CONFIG_FILE_ENV, type Env, loadConfig } from '../../src/config/load-config.ts';
import { SETTINGS } from '../../src/config/settings-catalog.ts';
import { ConfigError } from '../../src/errors.ts';
import { RUNS, typed } from './fuzz-kit.ts';

const FILE = '/etc/access-desk/config.yml';
/** Every secret gets a value with this mark, so a leak into a message is easy to see. */
const MARK = 'Zq9SECRETx';

const leafValue = fc.oneof(
  typed,
  fc.integer(),
  fc.boolean(),
  fc.array(typed, { maxLength: 3 }),
  fc.constant(null),
);

/** A nested object along real setting paths, with random leaves. */
const shapedFile = fc
  .subarray([...SETTINGS], { maxLength: 12 })
  .chain((leaves) =>
    fc.tuple(
      fc.constant(leaves),
      fc.array(leafValue, { minLength: leaves.length, maxLength: leaves.length }),
    ),
  )
  .map(([leaves, values]) => {
    const root: Record<string, unknown> = {};
    leaves.forEach((leaf, i) => {
      let node = root;
      for (const key of leaf.path.slice(0, -1)) {
        node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
        node = node[key] as Record<string, unknown>;
      }
      node[leaf.path.at(-1)!] = values[i];
    });
    return stringify(root);
  });

const fileText = fc.oneof(
  shapedFile,
  fc.json(),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('', ': :', '[1, 2', '{"a": }'),
);

const env = fc
  .subarray([...SETTINGS], { maxLength: 10 })
  .chain((leaves) =>
    fc.tuple(fc.constant(leaves), fc.array(typed, { minLength: leaves.length, maxLength: leaves.length })),
  )
  .map(([leaves, values]) =>
    Object.fromEntries(leaves.map((leaf, i) => [leaf.env, leaf.secret ? `${MARK}${values[i]}` : values[i]])),
  );

describe('fuzzing configuration', () => {
  it('random files and environment: a configuration or one ConfigError naming settings, never a secret', () => {
    fc.assert(
      fc.property(env, fc.option(fileText), (vars: Env, file) => {
        const all: Env = file === null ? vars : { ...vars, [CONFIG_FILE_ENV]: FILE };
        try {
          loadConfig(all, (path) => {
            if (path === FILE && file !== null) return file;
            throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
          });
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
          const message = (e as ConfigError).message;
          const issues = (e as ConfigError).issues;
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) {
            expect(issue.setting.trim()).not.toBe('');
            expect(message).toContain(issue.setting);
          }
          expect(message).not.toContain(MARK);
          expect(message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: RUNS.unit },
    );
  });
});
