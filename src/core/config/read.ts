/**
 * Reading configs: strict parsing (every bad field named with its allowed range) and tolerant repair for links and
 * files (unknown keys dropped, bad values replaced by their defaults, each replacement named).
 */
import { z } from 'zod';
import { parseUntrustedJson } from '../untrusted-json';
import { CONFIG_VERSION } from './blocks';
import { numericRange } from './introspect';
import { migrateConfig } from './migrations';
import { ExperimentConfigSchema, type ExperimentConfig } from './schema';

/** Raised for a config that does not validate; `problems` has one readable line per problem. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid experiment config:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A value from a link or a file, as a message may quote it: short (a stranger's 1 MB string is not echoed back)
 * and never throwing (a deeply nested array cannot be stringified); infinities by name, not as JSON's null.
 */
function shownValue(input: unknown): string {
  let text: string;
  try {
    text = typeof input === 'number' ? String(input) : (JSON.stringify(input) ?? String(input));
  } catch {
    text = Array.isArray(input) ? 'an array' : typeof input;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.map(String).join('.') : '(config)';
  const received = 'input' in issue && issue.input !== undefined ? ` (got ${shownValue(issue.input)})` : '';
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'array') {
    const count = Array.isArray(issue.input) ? ` (got ${issue.input.length})` : '';
    const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
    return `${field}: must have at ${issue.code === 'too_big' ? 'most' : 'least'} ${bound} ${bound === 1 ? 'entry' : 'entries'}${count}`;
  }
  switch (issue.code) {
    case 'too_big':
      return `${field}: must be at most ${String(issue.maximum)}${rangeHint(issue.path)}${received}`;
    case 'too_small':
      return `${field}: must be at least ${String(issue.minimum)}${rangeHint(issue.path)}${received}`;
    case 'invalid_value':
      return `${field}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${received}`;
    case 'invalid_union':
      return `${field}: ${issue.message}`;
    case 'invalid_type':
      return `${field}: expected ${issue.expected}${received}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** "allowed range a to b" for numeric fields, read back from the schema itself. */
function rangeHint(path: PropertyKey[]): string {
  const range = numericRange(path);
  return range ? ` (allowed range ${range[0]} to ${range[1]})` : '';
}

/**
 * The schema of one field of a config of the given kind, for forms: `field` as declared (it carries the help
 * text), `inner` with defaults unwrapped (it carries ranges and options).
/** Validates and fills defaults; throws ConfigError naming every bad field and its allowed range. */
export function parseConfig(input: unknown): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

/**
 * Tolerant parsing for links and imported files: unknown keys are dropped (the schema strips them), and every
 * invalid value is replaced by its default. Returns the config and one line per replaced field.
 * Throws ConfigError only when not even the experiment kind can be read.
 */
export function repairConfig(input: unknown): { config: ExperimentConfig; replaced: string[] } {
  const candidate: unknown = input !== null && typeof input === 'object' && !Array.isArray(input) ? structuredClone(input) : {};
  const replaced: string[] = [];
  for (let attempt = 0; attempt < 64; attempt++) {
    const result = ExperimentConfigSchema.safeParse(candidate, { reportInput: true });
    if (result.success) return { config: result.data, replaced };
    let progressed = false;
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      if (path.length === 0 || (path.length === 1 && path[0] === 'kind')) {
        throw new ConfigError([describeIssue(issue)]);
      }
      // A bad variant tag (a model or loss type) resets the whole variant to its defaults; a cross-field
      // problem named on a section (sizes that do not fit the dataset) resets that section.
      // A bad field of a custom-data descriptor drops the whole descriptor (half a description names no file).
      const target =
        path[0] === 'data' && path[1] === 'custom'
          ? path.slice(0, 2)
          : path[path.length - 1] === 'type' || issue.code === 'invalid_union'
            ? path.slice(0, -1)
            : path;
      const removed = target.length > 0 && deletePath(candidate, target);
      if (removed) {
        replaced.push(describeIssue(issue));
        progressed = true;
      }
    }
    if (!progressed) throw new ConfigError(result.error.issues.map(describeIssue));
  }
  throw new ConfigError(['the config could not be repaired']);
}

/** Deletes the value at `path` (so the schema's default applies); false when there was nothing to delete. */
function deletePath(target: unknown, path: string[]): boolean {
  let node = target as Record<string, unknown> | undefined;
  for (const key of path.slice(0, -1)) {
    const next = node?.[key];
    if (next === null || typeof next !== 'object') return false;
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (!node || !(last in node)) return false;
  delete node[last];
  return true;
}

export function safeParseConfig(input: unknown): { ok: true; config: ExperimentConfig } | { ok: false; problems: string[] } {
  const result = ExperimentConfigSchema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, config: result.data } : { ok: false, problems: result.error.issues.map(describeIssue) };
}

/**
 * The one way in for a config that did not come from the form: a link, an imported file, a run kept in the
 * browser, the command line. Every source is read the same way:
 *
 *   JSON text (bounded) or a value -> settings version (`v`, else `version`) -> migrations -> repair or strict parse
 *
 * repair (links, files, saved runs): unknown keys are dropped and every invalid value is replaced by its default,
 * each named in a notice. strict (the command line): every invalid value is an error. Either way a ConfigError is
 * thrown when nothing can be read: not an object, an unknown experiment kind, a settings version with no migration.
 */
export interface ReadConfigOptions {
  /** 'repair' (default): invalid values fall back to their defaults, each named; 'strict': they are errors. */
  mode?: 'repair' | 'strict';
}

/** JSON text longer than this is not an experiment config (one is a few hundred characters). */
export const MAX_CONFIG_TEXT = 1_000_000;

/** A settings version further ahead than this is not a version but a damaged or hostile value. */
const MAX_VERSIONS_AHEAD = 1000;

/** A value as a message may quote it: short, and never throwing. */
function shown(input: unknown): string {
  let text: string;
  try {
    text = typeof input === 'number' ? String(input) : (JSON.stringify(input) ?? String(input));
  } catch {
    text = typeof input;
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function readConfig(input: unknown, options: ReadConfigOptions = {}): { config: ExperimentConfig; notices: string[] } {
  let value = input;
  if (typeof input === 'string') {
    const parsed = parseUntrustedJson(input, MAX_CONFIG_TEXT);
    if (!parsed.ok) throw new ConfigError([`(config): it is ${parsed.problem}`]);
    value = parsed.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([
      `(config): expected an object with the experiment's settings (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`,
    ]);
  }

  const notices: string[] = [];
  // Links carry the settings version in `v` (and any `version` inside them is ignored); files and saved runs
  // carry it in `version`. A config without either is taken to be of the current version.
  const { v, ...body } = value as Record<string, unknown>;
  const declared = v !== undefined ? v : body.version;
  let version = CONFIG_VERSION;
  if (typeof declared === 'number' && Number.isInteger(declared) && declared <= CONFIG_VERSION + MAX_VERSIONS_AHEAD) {
    // Negative and older versions go to the migrations (which refuse a version they do not know).
    version = declared;
  } else if (declared !== undefined) {
    notices.push(`Replaced by its default: version: not a settings version (got ${shown(declared)}); read as version ${CONFIG_VERSION}`);
  }
  if (version > CONFIG_VERSION) {
    notices.push(`This experiment was made by a newer version of Distillery (settings version ${version}); settings this version does not know were ignored.`);
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateConfig(body, Math.min(version, CONFIG_VERSION));
  } catch (error) {
    throw new ConfigError([`(config): ${error instanceof Error ? error.message : String(error)}`]);
  }

  if (options.mode === 'strict') return { config: parseConfig(migrated), notices };
  const { config, replaced } = repairConfig(migrated);
  for (const line of replaced) notices.push(`Replaced by its default: ${line}`);
  return { config, notices };
}
