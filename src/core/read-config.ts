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
import { CONFIG_VERSION, ConfigError, parseConfig, repairConfig, type ExperimentConfig } from './config';
import { migrateConfig } from './config-migrations';
import { parseUntrustedJson } from './untrusted-json';

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
    throw new ConfigError([`(config): expected an object with the experiment's settings (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`]);
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
