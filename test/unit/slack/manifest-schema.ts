/**
 * Slack's own JSON Schema for app manifests (test/fixtures/slack-manifest-schema), compiled with ajv
 * as slackapi/manifest-schema's validate.mjs does: its non-standard keywords need strict: false.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { z } from 'zod';

const BASE = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';
const jsonSchema = z.record(z.string(), z.unknown());
const load = (file: string) =>
  jsonSchema.parse(
    JSON.parse(
      readFileSync(new URL(`../../fixtures/slack-manifest-schema/${file}`, import.meta.url), 'utf8'),
    ),
  );

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(load('manifest.schema.1.0.0.json'), `${BASE}manifest.schema.1.0.0.json`);
ajv.addSchema(load('manifest.schema.2.0.0.json'), `${BASE}manifest.schema.2.0.0.json`);
const validate = ajv.compile(load('manifest.schema.json'));

/** Schema errors of a parsed manifest (empty when valid), one line each: path, keyword, message. */
export function manifestSchemaErrors(manifest: unknown): string[] {
  if (validate(manifest)) return [];
  return (validate.errors ?? [])
    .filter((e) => !['oneOf', 'allOf'].includes(e.keyword))
    .map((e) => `${e.instancePath || '/'} ${e.keyword} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
