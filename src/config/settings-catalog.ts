/**
 * The list of settings, read off the zod schema itself so it cannot drift: path, environment
 * variable name, kind of value, whether it is a secret, default and description. load-config.ts
 * uses it to read the environment; the README's configuration reference is generated from it.
 */
import type { z } from 'zod';
import { configSchema } from './schema.ts';

export type LeafKind = 'string' | 'number' | 'boolean' | 'enum' | 'string-list' | 'number-list';

export interface SettingLeaf {
  /** Path in the config file, e.g. ['vendors', 'pjm', 'ssoPassword']. */
  path: readonly string[];
  /** Environment variable, e.g. PJM_SSO_PASSWORD. */
  env: string;
  kind: LeafKind;
  secret: boolean;
  required: boolean;
  defaultValue: unknown;
  enumValues: readonly string[];
  description: string;
}

interface LeafMeta {
  description?: string;
  secret?: boolean;
  env?: string;
}

const camelToUpperSnake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** vendors.pjm.ssoUsername → PJM_SSO_USERNAME; slack.botToken → SLACK_BOT_TOKEN. */
export function envNameFor(path: readonly string[]): string {
  const parts = path[0] === 'vendors' ? path.slice(1) : path;
  return parts.map(camelToUpperSnake).join('_');
}

function readMeta(schema: z.ZodType): LeafMeta {
  const meta = schema.meta();
  if (!meta) return {};
  return {
    ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
    ...(meta.secret === true ? { secret: true } : {}),
    ...(typeof meta.env === 'string' ? { env: meta.env } : {}),
  };
}

function describeLeaf(schema: z.ZodType, path: readonly string[]): SettingLeaf {
  let cur: z.ZodType = schema;
  let meta: LeafMeta = {};
  let required = true;
  let defaultValue: unknown;
  for (;;) {
    meta = { ...readMeta(cur), ...meta };
    const def = cur._zod.def;
    if (def.type === 'optional') {
      required = false;
      cur = (cur as z.ZodOptional<z.ZodType>).unwrap();
    } else if (def.type === 'default') {
      required = false;
      const d = cur as z.ZodDefault<z.ZodType>;
      defaultValue = d._zod.def.defaultValue;
      cur = d.unwrap();
    } else break;
  }
  const base = cur._zod.def;
  let kind: LeafKind;
  let enumValues: string[] = [];
  if (base.type === 'array') {
    const element = (cur as z.ZodArray<z.ZodType>).element;
    kind = element._zod.def.type === 'number' ? 'number-list' : 'string-list';
  } else if (base.type === 'enum') {
    kind = 'enum';
    enumValues = (cur as z.ZodEnum).options.map(String);
  } else if (base.type === 'number' || base.type === 'boolean' || base.type === 'string') {
    kind = base.type;
  } else {
    throw new Error(`Unsupported setting type ${base.type} at ${path.join('.')}`);
  }
  return {
    path,
    env: meta.env ?? envNameFor(path),
    kind,
    secret: meta.secret ?? false,
    required,
    defaultValue,
    enumValues,
    description: meta.description ?? '',
  };
}

function walk(schema: z.ZodType, path: readonly string[], out: SettingLeaf[]): void {
  if (schema._zod.def.type === 'object') {
    for (const [key, child] of Object.entries((schema as z.ZodObject).shape)) {
      walk(child as z.ZodType, [...path, key], out);
    }
    return;
  }
  out.push(describeLeaf(schema, path));
}

export const SETTINGS: readonly SettingLeaf[] = (() => {
  const out: SettingLeaf[] = [];
  walk(configSchema, [], out);
  return out;
})();

/** The leaf a (possibly deeper, e.g. list index) issue path belongs to. */
export function leafForPath(path: readonly PropertyKey[]): SettingLeaf | undefined {
  return SETTINGS.filter((s) => s.path.every((p, i) => path[i] === p)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}
