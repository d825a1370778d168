/** What a runner is given: one context per run, made once from the validated config. */
import type { AssetSource } from '../assets';
import type { ExperimentConfig } from '../config/schema';
import type { CustomRows } from '../data/custom';
import { createRng, type Rng } from '../rng';
import type { Model } from '../models/model';
import type { ExperimentEvent } from './contract';
import type { StageResult } from './figures';
import type { StageStore } from './stage-cache';

export interface RunContext<Config extends ExperimentConfig = ExperimentConfig> {
  config: Config;
  /** The run's seed, entered once: the data splits read it here, and every random draw comes from `rng`, made from it. */
  seed: number;
  rng: Rng;
  /** The tfjs backend the run trains on (it goes in the results). */
  backend: string;
  /** Datasets and pretrained weights. */
  assets: AssetSource;
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  /** Awaited before every training step (pause, single-step, pacing). */
  beforeStep?: () => Promise<void> | void;
  /** The rows of the visitor's own data, when config.data.dataset is "custom". */
  customRows?: CustomRows;
  /**
   * Called with each trained model at the end of its stage (final weights), before the stage-end event, and
   * awaited: the page's worker exports it (models/export-layers.ts). The model is released after the run.
   */
  onTrainedModel?: (stage: StageResult, model: Model) => Promise<void>;
  /** Where trained stages are kept and found again (stage-cache.ts); without one every stage trains. */
  stageCache?: StageStore;
}

export interface RunOptions {
  assets: AssetSource;
  backend: string;
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  beforeStep?: () => Promise<void> | void;
  customRows?: CustomRows;
  onTrainedModel?: RunContext['onTrainedModel'];
  stageCache?: StageStore;
}

export function createRunContext<Config extends ExperimentConfig>(config: Config, options: RunOptions): RunContext<Config> {
  return { config, seed: config.seed, rng: createRng(config.seed), ...options };
}

/**
 * The same context with `observe` shown every event before it goes on: a runner plots what its stages report
 * (a student's beats and copies at each measurement) without touching how they train.
 */
export function observing<Config extends ExperimentConfig>(ctx: RunContext<Config>, observe: (event: ExperimentEvent) => void): RunContext<Config> {
  return {
    ...ctx,
    onEvent: (event) => {
      observe(event);
      ctx.onEvent?.(event);
    },
  };
}
