/**
 * The HTTP-mode manifest (`npm run manifest -- --http <url>`) is manifest.yml with Socket Mode off
 * and Bolt's /slack/events as every Request URL, and both pass Slack's own manifest schema.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { httpManifest } from '../../../scripts/manifest/http-manifest.ts';
import { manifestSchemaErrors } from './manifest-schema.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const socketYaml = readFileSync(`${root}manifest.yml`, 'utf8');
const manifestShape = z.looseObject({
  features: z.looseObject({ slash_commands: z.array(z.looseObject({ url: z.string().optional() })) }),
  settings: z.looseObject({
    socket_mode_enabled: z.boolean(),
    event_subscriptions: z.looseObject({ request_url: z.string().optional() }),
    interactivity: z.looseObject({ request_url: z.string().optional() }),
  }),
});
const read = (yaml: string) => manifestShape.parse(parse(yaml));

/** What Socket Mode and HTTP mode are allowed to differ in, removed. */
function withoutModeSettings(yaml: string) {
  const m = read(yaml);
  const { socket_mode_enabled: _s, event_subscriptions, interactivity, ...settings } = m.settings;
  const { request_url: _e, ...events } = event_subscriptions;
  const { request_url: _i, ...interaction } = interactivity;
  return {
    ...m,
    features: { ...m.features, slash_commands: m.features.slash_commands.map(({ url: _u, ...c }) => c) },
    settings: { ...settings, event_subscriptions: events, interactivity: interaction },
  };
}

describe('Slack app manifests', () => {
  it('manifest.yml (Socket Mode) passes Slack’s manifest schema', () => {
    expect(manifestSchemaErrors(parse(socketYaml))).toEqual([]);
  });

  it('the schema check catches a broken manifest (a command without its slash)', () => {
    const broken = socketYaml.replace('- command: /newuser', '- command: newuser');
    expect(manifestSchemaErrors(parse(broken)).join('\n')).toMatch(/slash_commands\/0\/command pattern/);
  });

  it('the HTTP-mode manifest passes the schema, with Socket Mode off and /slack/events everywhere', () => {
    const yaml = httpManifest(socketYaml, 'https://access-desk.example.com');
    expect(manifestSchemaErrors(parse(yaml))).toEqual([]);
    const m = read(yaml);
    const url = 'https://access-desk.example.com/slack/events';
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.event_subscriptions.request_url).toBe(url);
    expect(m.settings.interactivity.request_url).toBe(url);
    expect(m.features.slash_commands.map((c) => c.url)).toEqual(m.features.slash_commands.map(() => url));
    expect(yaml).toMatch(/^# Slack app manifest for HTTP mode/);
  });

  it('differs from manifest.yml in nothing else (commands, scopes, events, texts)', () => {
    const yaml = httpManifest(socketYaml, 'https://access-desk.example.com');
    expect(withoutModeSettings(yaml)).toEqual(withoutModeSettings(socketYaml));
  });

  it('keeps a path prefix, with or without its trailing slash', () => {
    for (const base of ['https://example.com/desk', 'https://example.com/desk/'])
      expect(read(httpManifest(socketYaml, base)).settings.interactivity.request_url).toBe(
        'https://example.com/desk/slack/events',
      );
  });

  it('refuses a base URL Slack would not send to, saying what it needs', () => {
    for (const bad of ['http://access-desk.example.com', 'access-desk.example.com', ''])
      expect(() => httpManifest(socketYaml, bad)).toThrow(/must be an https:\/\/ URL/);
  });

  it('npm run manifest -- --http prints it; without --http it explains and exits 2', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [`${root}scripts/manifest.ts`, ...args], { encoding: 'utf8' });
    const ok = cli('--http', 'https://access-desk.example.com');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(httpManifest(socketYaml, 'https://access-desk.example.com'));
    const missing = cli();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/for HTTP mode give the public URL/);
  });
});
