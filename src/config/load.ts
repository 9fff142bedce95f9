import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { configSchema, sections, type Config, type SectionName } from './schema.js';

/** A configuration problem: names the key and where it came from. The CLI exits 2 on it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Extra file given with --config; read after config/default.toml. */
  file?: string;
  /** Environment to read EIDER_* overrides from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Path of the default file (default: <package root>/config/default.toml). */
  defaultFile?: string | null;
}

/** The directory holding package.json, found from this module's location (works from src or any build dir). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('package root not found');
    dir = up;
  }
}

type Raw = Record<string, Record<string, unknown>>;

function readTomlFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read: ${(err as Error).message}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const out: Raw = {};
  for (const [section, value] of Object.entries(doc)) {
    if (!(section in sections)) throw new ConfigError(`${path}: unknown section [${section}]`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(`${path}: [${section}] must be a table`);
    }
    out[section] = value as Record<string, unknown>;
  }
  return out;
}

/** Peel defaults/optionals off a zod schema to learn what an env string must become. */
function baseType(schema: z.ZodType): string {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
  for (;;) {
    if (def.innerType) def = def.innerType._zod.def as typeof def;
    else if (def.type === 'pipe' && def.in) def = def.in._zod.def as typeof def;
    else return def.type;
  }
}

const squash = (s: string) => s.replace(/_/g, '').toUpperCase();

function coerceEnv(name: string, value: string, type: string): unknown {
  switch (type) {
    case 'number': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`env ${name}: expected a number, got "${value}"`);
      return n;
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(value)) return true;
      if (/^(0|false|no|off)$/i.test(value)) return false;
      throw new ConfigError(`env ${name}: expected true or false, got "${value}"`);
    case 'array':
      if (value.trim().startsWith('[')) {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          throw new ConfigError(`env ${name}: expected a JSON array or a comma-separated list`);
        }
      }
      return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    default:
      return value;
  }
}

/**
 * EIDER_<SECTION>_<KEY>=value. Keys match ignoring case and underscores, so
 * EIDER_STORAGE_DATADIR, EIDER_STORAGE_DATA_DIR both set storage.dataDir.
 */
function readEnv(env: NodeJS.ProcessEnv): Raw {
  const out: Raw = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('EIDER_') || value === undefined) continue;
    const rest = name.slice('EIDER_'.length);
    const section = (Object.keys(sections) as SectionName[]).find((s) => rest.startsWith(`${s.toUpperCase()}_`));
    if (!section) throw new ConfigError(`env ${name}: unknown section`);
    const keyPart = squash(rest.slice(section.length + 1));
    const shape = sections[section].shape as Record<string, z.ZodType>;
    const key = Object.keys(shape).find((k) => squash(k) === keyPart);
    if (!key) throw new ConfigError(`env ${name}: unknown key in [${section}]`);
    (out[section] ??= {})[key] = coerceEnv(name, value, baseType(shape[key]!));
  }
  return out;
}

function merge(into: Raw, from: Raw): void {
  for (const [section, values] of Object.entries(from)) Object.assign((into[section] ??= {}), values);
}

function describeIssue(issue: z.core.$ZodIssue, origin: (section: string, key: string) => string): string {
  const [section, key] = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const where = key === undefined && section !== undefined ? `[${section}]` : 'top level';
    const src = section ? origin(section, issue.keys[0] ?? '') : 'config';
    return `${src}: unknown key ${issue.keys.map((k) => (section ? `${section}.${k}` : k)).join(', ')} in ${where}`;
  }
  const name = [section, key].filter(Boolean).join('.');
  return `${section && key ? origin(section, key) : 'config'}: ${name}: ${issue.message}`;
}

/**
 * Loads the configuration: config/default.toml, then --config FILE, then
 * EIDER_* environment variables, later sources winning. Throws ConfigError
 * naming the key and the file (or env variable) for any unknown key or bad
 * value.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const layers: Array<{ name: string; raw: Raw }> = [];
  const defaultFile = options.defaultFile === undefined ? join(packageRoot(), 'config', 'default.toml') : options.defaultFile;
  if (defaultFile) layers.push({ name: defaultFile, raw: readTomlFile(defaultFile) });
  if (options.file) {
    const file = isAbsolute(options.file) ? options.file : resolve(options.file);
    layers.push({ name: file, raw: readTomlFile(file) });
  }
  layers.push({ name: 'environment', raw: readEnv(options.env ?? process.env) });

  const merged: Raw = {};
  for (const layer of layers) merge(merged, layer.raw);

  // The last layer that set a key is the one to blame for its value.
  const origin = (section: string, key: string): string => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!;
      if (layer.raw[section] && key in layer.raw[section]!) {
        return layer.name === 'environment' ? `env EIDER_${section.toUpperCase()}_${key.toUpperCase()}` : layer.name;
      }
    }
    return layers.find((l) => l.raw[section])?.name ?? 'config';
  };

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => describeIssue(i, origin)).join('\n'));
  }
  return result.data;
}
