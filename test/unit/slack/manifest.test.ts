/**
 * The manifest and the code agree: every command, event and scope the code uses is declared, and
 * nothing declared is unused. Scopes are derived from the Web API methods found in src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { COMMANDS, EVENTS } from '../../../src/slack/listeners/index.ts';

/** Web API method → bot scopes it needs. Source: api.slack.com/methods. */
const METHOD_SCOPES: Record<string, readonly string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
  'usergroups.users.list': ['usergroups:read'],
  // Public channels need channels:read, private ones groups:read; approval channels may be either.
  'conversations.info': ['channels:read', 'groups:read'],
  'users.info': ['users:read'],
  // The DM the bot's files go to, the bulk CSV a requester shares, and files.uploadV2's three calls.
  'conversations.open': ['im:write'],
  'files.info': ['files:read'],
  filesUploadV2: ['files:write'],
  // Reading back the worker's own messages (worker/send-once.ts): the approval channel (public or
  // private) for cards, its threads for replies, and the DM (opened with conversations.open).
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
};

/** Events need scopes too: a message in the DM with the bot arrives only with im:history. */
const EVENT_SCOPES: Record<string, string[]> = { app_home_opened: [], 'message.im': ['im:history'] };

const manifestSchema = z.object({
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.boolean() }),
    slash_commands: z.array(
      z.object({ command: z.string(), description: z.string(), usage_hint: z.string() }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true) }),
    socket_mode_enabled: z.literal(true),
  }),
});

const root = new URL('../../../', import.meta.url).pathname;
const manifest = manifestSchema.parse(parse(readFileSync(join(root, 'manifest.yml'), 'utf8')));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}

const code = sources(join(root, 'src')).join('\n');
const usedMethods = [
  ...new Set(
    [...code.matchAll(/client\.(chat|views|usergroups\.users|users|conversations|files)\.(\w+)\(/g)].map(
      (m) => `${m[1]}.${m[2]}`,
    ),
  ),
  ...(code.includes('client.filesUploadV2(') ? ['filesUploadV2'] : []),
];

describe('manifest.yml', () => {
  it('declares exactly the slash commands the code registers, each with a description and usage hint', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...COMMANDS].sort());
    for (const c of manifest.features.slash_commands) expect(c.usage_hint.length).toBeGreaterThan(0);
    for (const c of COMMANDS) expect(code).toContain(`app.command('${c}'`);
  });

  it('subscribes to exactly the events the code listens to', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([...EVENTS].sort());
    // message.im is delivered as a `message` event (channel_type im).
    for (const e of EVENTS) expect(code).toContain(`app.event('${e.split('.')[0]}'`);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('asks for the smallest set of scopes: those the called Web API methods need, plus commands', () => {
    expect(usedMethods).toEqual(
      expect.arrayContaining(['chat.postMessage', 'views.open', 'usergroups.users.list']),
    );
    for (const m of usedMethods)
      expect(METHOD_SCOPES, `scope of ${m} unknown to this test`).toHaveProperty(m);
    const needed = new Set([
      'commands',
      ...usedMethods.flatMap((m) => METHOD_SCOPES[m] ?? []),
      ...EVENTS.flatMap((e) => EVENT_SCOPES[e] ?? [`unknown event ${e}`]),
    ]);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([...needed].sort());
  });
});
