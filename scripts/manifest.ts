/**
 * npm run manifest -- --http https://access-desk.example.com [--out manifest.http.yml]
 * prints (or writes) the Slack app manifest for HTTP mode, derived from manifest.yml.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { httpManifest } from './manifest/http-manifest.ts';

const USAGE = 'usage: npm run manifest -- --http https://<host>[/<prefix>] [--out <file>]';

function main(): number {
  let values: { http?: string; out?: string };
  try {
    ({ values } = parseArgs({ options: { http: { type: 'string' }, out: { type: 'string' } } }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!values.http) {
    process.stderr.write(
      `manifest.yml is the Socket Mode manifest; for HTTP mode give the public URL.\n${USAGE}\n`,
    );
    return 2;
  }
  const source = readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8');
  let text: string;
  try {
    text = httpManifest(source, values.http);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}

process.exitCode = main();
