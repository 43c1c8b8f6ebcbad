/**
 * The Dockerfile, .dockerignore and compose.yaml, read the way scripts/image-check reads them: the
 * parser's rules, and the image's promises (Node 24 slim, production install, non-root, /data volume,
 * health check, signals) that image-check cannot see without an engine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { instructions, npmCommands, parseDockerfile } from '../../../scripts/image-check/dockerfile.ts';
import { dockerIgnore } from '../../../scripts/image-check/play-stages.ts';
import { SETTINGS } from '../../../src/config/settings-catalog.ts';

const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const runtime = stages.at(-1)!;
/** The settings, plus what node and glibc read (the image's memory settings, see the Dockerfile). */
const KNOWN_ENV = new Set([...SETTINGS.map((s) => s.env), 'NODE_ENV', 'NODE_OPTIONS', 'MALLOC_ARENA_MAX']);

describe('Dockerfile parser', () => {
  it('joins continuation lines and drops comments', () => {
    expect(instructions('# c\nRUN a \\\n  && b\n\nCMD ["x"]\n')).toEqual([
      { op: 'RUN', args: 'a && b' },
      { op: 'CMD', args: '["x"]' },
    ]);
  });

  it('substitutes ARGs into FROM and records COPY --from, ENV order and exec forms', () => {
    const [a, b] = parseDockerfile(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile ARG, not a JS template
      'ARG IMG=node:24-slim\nFROM ${IMG} AS one\nWORKDIR /w\nRUN npm ci\nFROM $IMG AS two\n' +
        'ENV A=1 B="x y"\nCOPY --from=one /w/dist ./dist\nCMD ["node", "dist/main.js"]\n',
    );
    expect(a).toMatchObject({ name: 'one', image: 'node:24-slim', workdir: '/w' });
    expect(b?.steps).toEqual([
      { kind: 'env', vars: { A: '1', B: 'x y' } },
      { kind: 'copy', from: 'one', sources: ['/w/dist'], dest: './dist' },
    ]);
    expect(b?.cmd).toEqual(['node', 'dist/main.js']);
  });

  it('refuses a shell-form CMD (signals would go to sh) and instructions it cannot play', () => {
    expect(() => parseDockerfile('FROM x\nCMD node dist/main.js\n')).toThrow(/exec form/);
    expect(() => parseDockerfile('FROM x\nADD https://example.com/a /a\n')).toThrow(/ADD is not known/);
  });

  it('plays npm steps as argv, without BuildKit mounts, and leaves system steps alone', () => {
    expect(npmCommands('--mount=type=cache,target=/root/.npm npm ci --omit=dev && npm prune')).toEqual([
      ['npm', 'ci', '--omit=dev'],
      ['npm', 'prune'],
    ]);
    expect(npmCommands('apt-get update && apt-get install -y tini')).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerIgnore(read('.dockerignore'));

  it('keeps local state, secrets and nested node_modules out of the build context', () => {
    for (const p of ['node_modules/zod/index.js', 'src/x/node_modules/a', '.env', '.env.local', 'data/a.db'])
      expect(ignored(p), p).toBe(true);
  });

  it('keeps everything the Dockerfile copies from the context', () => {
    const copied = stages.flatMap((s) =>
      s.steps.flatMap((step) => (step.kind === 'copy' && step.from === null ? step.sources : [])),
    );
    expect(copied).toEqual(expect.arrayContaining(['package-lock.json', 'src', 'manifest.yml']));
    for (const p of [...copied, 'src/main.ts', '.env.example']) expect(ignored(p), p).toBe(false);
  });
});

describe('the image', () => {
  it('builds on Node 24 slim in two stages, compiling in the first and installing production deps in the last', () => {
    expect(stages.map((s) => [s.name, s.image])).toEqual([
      ['build', 'node:24-slim'],
      ['runtime', 'node:24-slim'],
    ]);
    const npm = (s: (typeof stages)[number]) =>
      s.steps.flatMap((step) => (step.kind === 'run' ? npmCommands(step.command) : []));
    expect(npm(stages[0]!).map((a) => a.join(' '))).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
    expect(npm(runtime)).toEqual([['npm', 'ci', '--omit=dev', '--no-audit', '--no-fund']]);
    const fromContext = runtime.steps.flatMap((s) => (s.kind === 'copy' && !s.from ? s.sources : []));
    expect(fromContext).not.toContain('src');
    expect(runtime.steps).toContainEqual({
      kind: 'copy',
      from: 'build',
      sources: ['/app/dist'],
      dest: './dist',
    });
    expect(runtime.cmd).toEqual(['node', 'dist/main.js']);
  });

  it('runs as a non-root user with the SQLite file on the /data volume', () => {
    expect(runtime.user).toBe('node');
    expect(runtime.volumes).toEqual(['/data']);
    expect(runtime.env.STORE_SQLITE_PATH).toMatch(/^\/data\//);
    expect(Object.keys(runtime.env).filter((n) => !KNOWN_ENV.has(n))).toEqual([]);
  });

  it('caps the heap with flags node accepts in NODE_OPTIONS, leaving room for a 10,000-row bulk file', () => {
    const run = spawnSync(
      process.execPath,
      ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
      {
        env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: runtime.env.NODE_OPTIONS },
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    const limitMiB = Number(run.stdout) / 2 ** 20;
    // That flow's live heap peaks near 85 MiB (BENCHMARKS.md, "Memory").
    expect(limitMiB).toBeGreaterThanOrEqual(200);
    expect(limitMiB).toBeLessThan(1024);
    expect(runtime.env.MALLOC_ARENA_MAX).toBe('2');
  });

  it('checks /healthz on HEALTH_PORT, and tini hands STOPSIGNAL to node', () => {
    expect(runtime.healthcheck?.join(' ')).toMatch(/process\.env\.HEALTH_PORT.*\/healthz/);
    expect(runtime.entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(runtime.stopSignal).toBe('SIGTERM');
  });
});

const composeSchema = z.object({
  services: z.object({
    postgres: z.object({ image: z.string(), healthcheck: z.object({ test: z.array(z.string()) }) }),
    bot: z.object({
      build: z.string(),
      environment: z.record(z.string(), z.string()),
      depends_on: z.object({ postgres: z.object({ condition: z.literal('service_healthy') }) }),
      deploy: z.object({ replicas: z.number() }),
    }),
  }),
});

describe('compose.yaml', () => {
  const compose = composeSchema.parse(parseYaml(read('compose.yaml')));
  const bot = compose.services.bot;

  it('runs two replicas of the image on the PostgreSQL service, once it is healthy', () => {
    expect(bot.build).toBe('.');
    expect(bot.deploy.replicas).toBe(2);
    expect(compose.services.postgres.image).toMatch(/^postgres:\d+/);
    expect(bot.environment.DATABASE_URL).toMatch(/^postgres:\/\/access_desk:.*@postgres:5432\/access_desk$/);
  });

  it('sets only real settings', () => {
    expect(Object.keys(bot.environment).filter((n) => !KNOWN_ENV.has(n))).toEqual([]);
  });
});
