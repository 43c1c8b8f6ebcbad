/**
 * On a Node older than 24, `npm ci`, `npm start` and `npm run sandbox` say that Node 24 is needed
 * instead of failing on a syntax error. The rule is unit-tested; the wiring runs under the machine's
 * own older Node and its npm when there is one (CI machines have Node 20 at /usr/bin).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problem, REQUIRED_MAJOR } from '../../../scripts/require-node-24.cjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = z
  .object({ engines: z.object({ node: z.string() }), scripts: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));

/** A node older than 24 on PATH or in the usual places, with its own npm beside it. */
function findOldNode(): { bin: string; version: string } | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/bin'];
  for (const dir of dirs) {
    const node = join(dir, 'node');
    if (!existsSync(node) || !existsSync(join(dir, 'npm'))) continue;
    const v = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (v && Number(v.split('.')[0]) < REQUIRED_MAJOR) return { bin: dirname(node), version: v };
  }
  return null;
}

const old = findOldNode();
if (!old) console.log('no Node older than 24 on this machine: the old-Node runs are skipped');

function npmUnderOldNode(args: string[], cwd: string) {
  const env = { ...process.env, PATH: `${old!.bin}${delimiter}/usr/bin${delimiter}/bin` };
  return spawnSync(join(old!.bin, 'npm'), args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

describe('the Node 24 guard', () => {
  it('accepts Node 24 and names the required and the running version otherwise', () => {
    expect(problem('24.22.3')).toBeNull();
    expect(problem('v24.0.0')).toBeNull();
    for (const v of ['20.20.2', '22.11.0', '25.1.0'])
      expect(problem(v)).toMatch(new RegExp(`needs Node\\.js 24 .*this is Node ${v.replace(/\./g, '\\.')}`));
  });

  it('agrees with package.json engines, which .npmrc makes binding for npm ci', () => {
    expect(pkg.engines.node).toBe(`>=${REQUIRED_MAJOR} <${REQUIRED_MAJOR + 1}`);
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
    expect(pkg.scripts.prestart).toBe('node scripts/require-node-24.cjs');
    expect(pkg.scripts.presandbox).toBe('node scripts/require-node-24.cjs');
  });

  it.skipIf(!old)('npm start and npm run sandbox under an older Node say Node 24 is needed', () => {
    for (const script of ['start', 'sandbox']) {
      const run = npmUnderOldNode(['run', script], root);
      expect(run.status, script).toBe(1);
      expect(run.stderr).toContain(`Access Desk needs Node.js 24 (LTS); this is Node ${old!.version}.`);
      expect(run.stdout + run.stderr).not.toMatch(/SyntaxError|ERR_UNKNOWN_FILE_EXTENSION|at .*\(node:/);
    }
  });

  it.skipIf(!old)('npm ci under an older Node refuses before installing anything, naming Node 24', () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-desk-old-node-'));
    try {
      for (const f of ['package.json', 'package-lock.json', '.npmrc'])
        copyFileSync(join(root, f), join(dir, f));
      const run = npmUnderOldNode(['ci', '--no-audit', '--no-fund'], dir);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('EBADENGINE');
      expect(run.stderr).toContain('Required: {"node":">=24 <25"}');
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
