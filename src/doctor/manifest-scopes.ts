/** The bot scopes manifest.yml asks for: what an installed token should have been granted. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const manifestSchema = z.object({
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
});

/** manifest.yml sits at the package root, beside src/ and dist/ alike. */
export const MANIFEST_PATH = new URL('../../manifest.yml', import.meta.url);

export function manifestBotScopes(path: URL | string = MANIFEST_PATH): string[] {
  return manifestSchema.parse(parse(readFileSync(path, 'utf8'))).oauth_config.scopes.bot;
}
