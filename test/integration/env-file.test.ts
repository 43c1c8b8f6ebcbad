/**
 * `cp .env.example .env && npm start`: the bot reads `.env` from its working folder. Only the
 * secrets the example leaves empty are then missing, and PAM360's token is among them only because
 * the file enables PAM360. A variable in the real environment wins over the file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/settings-catalog.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SETTING_NAMES = new Set(SETTINGS.map((s) => s.env));
const dirs: string[] = [];

/** src/main.ts in a fresh folder, with no setting inherited from this process. */
function startIn(withDotEnv: boolean, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'access-desk-dotenv-'));
  dirs.push(dir);
  if (withDotEnv) copyFileSync(join(root, '.env.example'), join(dir, '.env'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !SETTING_NAMES.has(k) && !k.startsWith('ACCESS_DESK_')),
  );
  return spawnSync(process.execPath, [join(root, 'src/main.ts')], {
    cwd: dir,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

const missing = (stderr: string) =>
  [...stderr.matchAll(/^ {2}- (\w+): is required/gm)].map((m) => m[1]).sort();

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('.env in the working folder', () => {
  it('is read at start-up: with .env.example copied, only its empty secrets are missing', () => {
    const run = startIn(true);
    expect(run.status).toBe(1);
    expect(missing(run.stderr)).toEqual(
      ['ACCESS_DESK_SECRET_KEY', 'PAM360_AUTH_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN'].sort(),
    );
  });

  it('is optional: without it PAM360 is off, so its token is not asked for', () => {
    const run = startIn(false);
    expect(run.status).toBe(1);
    expect(missing(run.stderr)).not.toContain('PAM360_AUTH_TOKEN');
    expect(missing(run.stderr)).toContain('SLACK_BOT_TOKEN');
  });

  it('gives way to the real environment', () => {
    const run = startIn(true, { PAM360_ENABLED: 'false' });
    expect(run.status).toBe(1);
    expect(missing(run.stderr)).not.toContain('PAM360_AUTH_TOKEN');
  });
});
