/**
 * Plays the Dockerfile's stages in temp folders: each stage's WORKDIR is `<root>/<stage>`, COPY
 * honours .dockerignore and `--from=<stage>`, and every `RUN npm …` runs as written. System steps
 * (apt-get, mkdir, chown) cannot be played without an engine and are listed as skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, matchesGlob, relative } from 'node:path';
import { npmCommands, type Stage } from './dockerfile.ts';

export interface PlayedStage {
  stage: Stage;
  dir: string;
}

/** Docker's .dockerignore: later patterns win, `!` re-includes, a matched folder drops its contents. */
export function dockerIgnore(text: string): (relPath: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => (l.startsWith('!') ? { keep: true, glob: l.slice(1) } : { keep: false, glob: l }));
  return (relPath) => {
    const parts = relPath.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules)
      if (prefixes.some((p) => matchesGlob(p, rule.glob.replace(/^\.?\//, '')))) ignored = !rule.keep;
    return ignored;
  };
}

function inStage(stage: Stage, dir: string, path: string): string {
  if (!isAbsolute(path)) return join(dir, path);
  const rel = relative(stage.workdir, path);
  if (rel.startsWith('..'))
    throw new Error(`${path} is outside stage ${stage.name}'s WORKDIR ${stage.workdir}`);
  return join(dir, rel);
}

function copy(source: string, dest: string, toFolder: boolean, keep: (abs: string) => boolean): void {
  if (!existsSync(source)) throw new Error(`COPY source ${source} does not exist`);
  const target = statSync(source).isDirectory() ? dest : toFolder ? join(dest, basename(source)) : dest;
  mkdirSync(statSync(source).isDirectory() ? target : dirname(target), { recursive: true });
  cpSync(source, target, { recursive: true, filter: keep });
}

function runNpm(argv: string[], cwd: string, env: Record<string, string>): void {
  const shown = argv.join(' ');
  const started = Date.now();
  const run = spawnSync(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`${shown} failed (exit ${run.status ?? run.signal})`);
  console.log(`    ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function playStages(stages: Stage[], context: string, root: string): PlayedStage[] {
  const ignoreFile = join(context, '.dockerignore');
  const ignored = dockerIgnore(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const played: PlayedStage[] = [];
  for (const stage of stages) {
    const dir = join(root, stage.name);
    mkdirSync(dir, { recursive: true });
    const { NODE_PATH: _ignored, ...inherited } = process.env;
    // Offline first: the CI machine's npm cache serves the lockfile; Docker starts with an empty one.
    const env: Record<string, string> = { ...(inherited as Record<string, string>) };
    env.npm_config_prefer_offline = 'true';
    for (const step of stage.steps) {
      if (step.kind === 'env') Object.assign(env, step.vars);
      if (step.kind === 'run') {
        const commands = npmCommands(step.command);
        if (commands.length === 0)
          console.log(`  [${stage.name}] skipped (system step): RUN ${step.command}`);
        for (const argv of commands) {
          console.log(`  [${stage.name}] ${argv.join(' ')}`);
          runNpm(argv, dir, env);
        }
      }
      if (step.kind === 'copy') {
        const from = step.from === null ? null : played.find((p) => p.stage.name === step.from);
        if (step.from !== null && !from) throw new Error(`COPY --from=${step.from}: no such earlier stage`);
        const dest = inStage(stage, dir, step.dest);
        const toFolder = step.dest.endsWith('/') || step.sources.length > 1;
        console.log(
          `  [${stage.name}] COPY ${step.from ? `--from=${step.from} ` : ''}${step.sources.join(' ')}`,
        );
        for (const source of step.sources) {
          const abs = from ? inStage(from.stage, from.dir, source) : join(context, source);
          const keep = (p: string) => from !== null || !ignored(relative(context, p));
          copy(abs, dest, toFolder, keep);
        }
      }
    }
    played.push({ stage, dir });
  }
  return played;
}
