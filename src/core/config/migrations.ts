/**
 * Upgrades configs written by older schema versions (links, saved runs, imported files) to the current one.
 * MIGRATIONS[n] turns a version-n config into version n + 1; each step is small and tested.
 */
import { CONFIG_VERSION } from './blocks';

type RawConfig = Record<string, unknown>;

export const MIGRATIONS: Record<number, (config: RawConfig) => RawConfig> = {};

/** Applies every migration from `version` up to CONFIG_VERSION. Unknown shapes pass through to validation. */
export function migrateConfig(config: RawConfig, version: number): RawConfig {
  let current = config;
  for (let v = version; v < CONFIG_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from settings version ${v}`);
    current = step(current);
  }
  return { ...current, version: CONFIG_VERSION };
}
