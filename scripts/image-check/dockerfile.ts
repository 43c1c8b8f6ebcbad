/**
 * Reads the Dockerfile into its stages, so image-check plays the very steps the image is built with
 * (COPY and `RUN npm …`) and starts the image's own CMD. Only the instructions the Dockerfile uses
 * are understood; anything else is an error rather than silently skipped.
 */
import { z } from 'zod';

export type Step =
  | { kind: 'copy'; from: string | null; sources: string[]; dest: string }
  | { kind: 'run'; command: string }
  | { kind: 'env'; vars: Record<string, string> };

export interface Stage {
  name: string;
  image: string;
  workdir: string;
  steps: Step[];
  /** Every ENV of the stage, merged (the process environment of CMD). */
  env: Record<string, string>;
  user: string | null;
  volumes: string[];
  /** Exec-form argv of CMD / ENTRYPOINT / HEALTHCHECK CMD, when given. */
  cmd: string[] | null;
  entrypoint: string[] | null;
  healthcheck: string[] | null;
  stopSignal: string | null;
}

const execForm = z.array(z.string()).min(1);

function parseExecForm(instruction: string, text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${instruction} must use the exec form ["…", "…"] (signals reach the process): ${text}`);
  }
  return execForm.parse(json);
}

/** Instructions, one per entry, with `\` continuations joined and comments dropped. */
export function instructions(text: string): Array<{ op: string; args: string }> {
  const out: Array<{ op: string; args: string }> = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const space = full.search(/\s/);
    out.push({ op: full.slice(0, space).toUpperCase(), args: full.slice(space + 1).trim() });
  }
  return out;
}

function substitute(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => {
    const name = a ?? b ?? '';
    return args[name] ?? m;
  });
}

/** KEY=value pairs of ENV/ARG (values without spaces, or double-quoted). */
function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) out[m[1]!] = m[3] ?? m[2]!;
  return out;
}

export function parseDockerfile(text: string): Stage[] {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const current = (op: string): Stage => {
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${op} before FROM`);
    return stage;
  };
  for (const { op, args: rest } of instructions(text)) {
    switch (op) {
      case 'ARG':
        if (stages.length === 0) Object.assign(args, pairs(rest));
        break;
      case 'FROM': {
        const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(substitute(rest, args));
        if (!m) throw new Error(`FROM not understood: ${rest}`);
        stages.push({
          name: m[2] ?? String(stages.length),
          image: m[1]!,
          workdir: '/',
          steps: [],
          env: {},
          user: null,
          volumes: [],
          cmd: null,
          entrypoint: null,
          healthcheck: null,
          stopSignal: null,
        });
        break;
      }
      case 'WORKDIR':
        current(op).workdir = rest;
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        const flags = words.filter((w) => w.startsWith('--'));
        const paths = words.filter((w) => !w.startsWith('--'));
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length) ?? null;
        if (paths.length < 2) throw new Error(`COPY needs a source and a destination: ${rest}`);
        current(op).steps.push({ kind: 'copy', from, sources: paths.slice(0, -1), dest: paths.at(-1)! });
        break;
      }
      case 'RUN':
        current(op).steps.push({ kind: 'run', command: rest });
        break;
      case 'ENV': {
        const vars = pairs(rest);
        current(op).steps.push({ kind: 'env', vars });
        Object.assign(current(op).env, vars);
        break;
      }
      case 'USER':
        current(op).user = rest;
        break;
      case 'VOLUME':
        current(op).volumes.push(...parseExecForm(op, rest));
        break;
      case 'CMD':
        current(op).cmd = parseExecForm(op, rest);
        break;
      case 'ENTRYPOINT':
        current(op).entrypoint = parseExecForm(op, rest);
        break;
      case 'HEALTHCHECK': {
        const at = rest.indexOf('CMD ');
        if (at < 0) throw new Error(`HEALTHCHECK without CMD: ${rest}`);
        current(op).healthcheck = parseExecForm(op, rest.slice(at + 4).trim());
        break;
      }
      case 'STOPSIGNAL':
        current(op).stopSignal = rest;
        break;
      case 'EXPOSE':
        break;
      default:
        throw new Error(`Dockerfile instruction ${op} is not known to scripts/image-check`);
    }
  }
  return stages;
}

/**
 * The npm commands of a `RUN` step, each as argv (BuildKit `--mount=…` flags dropped), or none for
 * a system step such as apt-get, which the check cannot play.
 */
export function npmCommands(command: string): string[][] {
  const words = command.split(/\s+/).filter((w) => !w.startsWith('--mount='));
  const parts = words
    .join(' ')
    .split('&&')
    .map((p) => p.trim().split(/\s+/));
  return parts.every((p) => p[0] === 'npm') ? parts : [];
}
