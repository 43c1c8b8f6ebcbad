/**
 * `.env` in the working folder, when there is one (`cp .env.example .env && npm start`): its
 * variables come under the real environment, which wins, as with Node's --env-file; an empty
 * `NAME=` line sets nothing. A missing file is not an error; an unreadable one is, naming the file.
 */
import { parseEnv } from 'node:util';
import { ConfigError } from '../errors.ts';
import type { Env, ReadFile } from './load-config.ts';

export const ENV_FILE = '.env';

export function withEnvFile(env: Env, readFile: ReadFile, path: string = ENV_FILE): Env {
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new ConfigError([{ setting: path, message: `cannot be read (${(e as Error).message})` }]);
  }
  // `NAME=` is how .env.example leaves a secret to fill in: not set, so a required one is "required".
  const assigned = Object.entries(parseEnv(text)).filter(([, value]) => value !== '');
  return { ...Object.fromEntries(assigned), ...env };
}
