/** Shared by the experiment tests: presets shrunk to a test's budget, run in Node on the shipped files. */
import { nodeAssetSource } from './node-assets';
import type { ExperimentConfigInput } from '../core/config/schema';
import { findPreset } from '../core/presets';
import { runExperiment } from '../core/experiments/registry';
import type { ExperimentEvent, ExperimentResult } from '../core/experiments/contract';
import { captionText, factsOfConfig } from '../core/experiments/narration';

export type AnyConfig = Record<string, any>;

/** A preset's config with parts overridden (deep merge of plain objects). */
export function reduced(id: string, overrides: AnyConfig): ExperimentConfigInput {
  const merge = (base: AnyConfig, extra: AnyConfig): AnyConfig => {
    const out: AnyConfig = { ...base };
    for (const [key, value] of Object.entries(extra)) {
      out[key] = value && typeof value === 'object' && !Array.isArray(value) && base[key] ? merge(base[key], value) : value;
    }
    return out;
  };
  return merge(structuredClone(findPreset(id).config) as AnyConfig, overrides) as ExperimentConfigInput;
}

export const run = (config: ExperimentConfigInput, onEvent?: (e: ExperimentEvent) => void) => runExperiment(config, { assets: nodeAssetSource(), onEvent });

/**
 * A preset's captions for a finished run, every one of which must be fully measured ("…" marks a number not yet
 * known); each must also read without throwing before any stage has finished.
 */
export function finishedCaptions(id: string, result: ExperimentResult): string[] {
  const { narrative } = findPreset(id);
  for (const caption of narrative) captionText(caption, factsOfConfig(result.config));
  const models = Object.fromEntries(Object.entries(result.stages).map(([name, stage]) => [name, stage.model]));
  const facts = { config: result.config, stages: result.stages, result, charts: result.charts, testLabels: result.predictions.test.label, models };
  return narrative.map((caption) => captionText(caption, facts));
}
