/** Rewrites the configuration reference between its markers in README.md from the schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { REFERENCE_BEGIN, REFERENCE_END, renderConfigReference } from '../src/config/config-reference.ts';

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(REFERENCE_BEGIN);
const end = readme.indexOf(REFERENCE_END);
if (start < 0 || end < 0) throw new Error('README.md lacks the config-reference markers');
writeFileSync(
  'README.md',
  readme.slice(0, start) + renderConfigReference() + readme.slice(end + REFERENCE_END.length),
);
