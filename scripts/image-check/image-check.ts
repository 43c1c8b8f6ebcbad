/**
 * image-check: the Docker image's build, played without a Docker engine. Parses the Dockerfile,
 * plays its stages in a temp folder (production install from the lockfile, build in its own stage
 * with dev dependencies), then runs the runtime stage's CMD against the fakes. A runtime dependency
 * missing from "dependencies", or a devDependency used at run time, fails here.
 * Usage: node scripts/image-check/image-check.ts [--keep]   (--keep leaves the temp folder)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from './dockerfile.ts';
import { playStages } from './play-stages.ts';
import { runBuiltBot } from './run-built-bot.ts';

const context = fileURLToPath(new URL('../../', import.meta.url));
const keep = process.argv.includes('--keep');

/** A node_modules above the temp folder would let the built bot resolve what the image lacks. */
function assertNoOuterNodeModules(dir: string): void {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules')))
      throw new Error(`${join(d, 'node_modules')} exists above the temp folder; set TMPDIR elsewhere`);
    if (dirname(d) === d) return;
  }
}

const started = Date.now();
const root = mkdtempSync(join(tmpdir(), 'access-desk-image-'));
try {
  assertNoOuterNodeModules(root);
  const stages = parseDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'));
  console.log(`image-check: Dockerfile stages ${stages.map((s) => s.name).join(' → ')} in ${root}`);
  const played = playStages(stages, context, root);
  await runBuiltBot(played.at(-1)!, root);
  console.log(`image-check OK in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`image-check FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
