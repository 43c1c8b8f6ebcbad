/** `.env` under the environment: file values fill in, the environment wins, a missing file is fine. */
import { describe, expect, it } from 'vitest';
import { withEnvFile } from '../../../src/config/env-file.ts';
import { ConfigError } from '../../../src/errors.ts';

const files = (content: Record<string, string>) => (path: string) => {
  const text = content[path];
  if (text === undefined)
    throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  return text;
};

describe('withEnvFile', () => {
  it('adds the file’s variables (comments, quotes and export-free lines as Node parses them)', () => {
    const env = withEnvFile(
      {},
      files({ '.env': '# first deployment\nLOG_LEVEL=debug\nPAM360_ROLES="A, B"\n' }),
    );
    expect(env).toEqual({ LOG_LEVEL: 'debug', PAM360_ROLES: 'A, B' });
  });

  it('lets the real environment win over the file', () => {
    const env = withEnvFile({ LOG_LEVEL: 'warn' }, files({ '.env': 'LOG_LEVEL=debug\nHEALTH_PORT=9000\n' }));
    expect(env).toEqual({ LOG_LEVEL: 'warn', HEALTH_PORT: '9000' });
  });

  it('treats an empty NAME= line (a secret left to fill in) as not set', () => {
    expect(withEnvFile({}, files({ '.env': 'SLACK_BOT_TOKEN=\nLOG_LEVEL=info\n' }))).toEqual({
      LOG_LEVEL: 'info',
    });
  });

  it('leaves the environment as it is when there is no .env', () => {
    const env = { LOG_LEVEL: 'warn' };
    expect(withEnvFile(env, files({}))).toBe(env);
  });

  it('stops start-up naming the file when it exists but cannot be read', () => {
    const unreadable = () => {
      throw Object.assign(new Error("EACCES: permission denied, open '.env'"), { code: 'EACCES' });
    };
    expect(() => withEnvFile({}, unreadable)).toThrow(ConfigError);
    expect(() => withEnvFile({}, unreadable)).toThrow(/\.env: cannot be read \(EACCES/);
  });
});
