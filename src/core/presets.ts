/**
 * Presets: ready-made experiments, each with the one-line lesson it teaches. Each kind declares its own
 * (experiments/<kind>/spec.ts); this is the list of all of them, in the order of the kinds. The configs are
 * partial: the schema fills every default, so a preset names only what makes it what it is.
 */
import { parseConfig } from './config/read';
import type { ExperimentConfig, ExperimentConfigInput } from './config/schema';
import type { Preset } from './experiments/kind';
import { KIND_SPECS } from './experiments/kinds';

export type { Preset };

export const PRESETS: readonly Preset<ExperimentConfigInput>[] = KIND_SPECS.flatMap((spec): readonly Preset<ExperimentConfigInput>[] => spec.presets);

export const DEFAULT_PRESET_ID = 'w2s-mnist';

export function findPreset(id: string): Preset<ExperimentConfigInput> {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset "${id}"; presets: ${PRESETS.map((p) => p.id).join(', ')}`);
  return preset;
}

/** A preset's config, validated with every default filled in. */
export function presetConfig(id: string): ExperimentConfig {
  return parseConfig(findPreset(id).config);
}
