/** Runs one experiment of any kind from a validated config. */
import type { AssetSource } from '../assets';
import { parseConfig } from '../config';
import { createRng } from '../rng';
import { tf } from '../tf';
import type { ExperimentEvent, ExperimentResult } from './common';
import { runDistillation } from './distillation';
import { runWeakToStrong } from './weak-to-strong';

export type { DecisionGrid, ExperimentEvent, ExperimentResult, ExperimentStart, StageInfo, StageResult } from './common';
export { W2S_STAGES } from './weak-to-strong';
export { KD_STAGES } from './distillation';

export { STAGE_ROLES, type StageRoles } from './roles';

export interface RunOptions {
  source: AssetSource;
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  /** Awaited before every training step: pause, single-step, pacing. */
  beforeStep?: () => Promise<void> | void;
}

/** Validates `input` (throws ConfigError naming each bad field) and runs it on the active backend. */
export async function runExperiment(input: unknown, options: RunOptions): Promise<ExperimentResult> {
  const config = parseConfig(input);
  const ctx = { config, source: options.source, rng: createRng(config.seed), signal: options.signal, onEvent: options.onEvent, beforeStep: options.beforeStep };
  const backend = tf.getBackend();
  return config.kind === 'weak-to-strong' ? runWeakToStrong(config, ctx, backend) : runDistillation(config, ctx, backend);
}
