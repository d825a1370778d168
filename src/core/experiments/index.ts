/** Runs one experiment of any kind from a validated config. */
import type { AssetSource } from '../assets';
import { parseConfig, type ExperimentConfig, type ExperimentKind } from '../config';
import { createRng } from '../rng';
import { tf } from '../tf';
import type { ExperimentEvent, ExperimentResult, RunContext } from './common';
import { runDistillation } from './distillation';
import { runWeakToStrong } from './weak-to-strong';
import { runBootstrap } from './bootstrap';
import { runLossStudy } from './loss-study';
import { runKdVariants } from './kd-variants';
import { runRandomTeacher } from './random-teacher';
import { runTeacherHacking } from './teacher-hacking';

export type { ChartData, ChartInfo, ChartPoint } from './charts';
export type { DecisionGrid, ExperimentEvent, ExperimentResult, ExperimentStart, StageInfo, StageResult } from './common';
export { W2S_STAGES } from './weak-to-strong';
export { KD_STAGES } from './distillation';

export { STAGE_ROLES, type StageRoles } from './roles';

type Runner<K extends ExperimentKind> = (config: Extract<ExperimentConfig, { kind: K }>, ctx: RunContext, backend: string) => Promise<ExperimentResult>;

/** One runner per experiment kind. */
const RUNNERS: { [K in ExperimentKind]: Runner<K> } = {
  'weak-to-strong': runWeakToStrong,
  distillation: runDistillation,
  bootstrap: runBootstrap,
  'loss-study': runLossStudy,
  'kd-variants': runKdVariants,
  'random-teacher': runRandomTeacher,
  'teacher-hacking': runTeacherHacking,
};

export interface RunOptions {
  source: AssetSource;
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  /** Awaited before every training step: pause, single-step, pacing. */
  beforeStep?: () => Promise<void> | void;
  /** The rows of the visitor's own data, for a config whose data.dataset is "custom". */
  customRows?: RunContext['customRows'];
}

/** Validates `input` (throws ConfigError naming each bad field) and runs it on the active backend. */
export async function runExperiment(input: unknown, options: RunOptions): Promise<ExperimentResult> {
  const config = parseConfig(input);
  const ctx = { config, source: options.source, rng: createRng(config.seed), signal: options.signal, onEvent: options.onEvent, beforeStep: options.beforeStep, customRows: options.customRows };
  const backend = tf.getBackend();
  const runner = RUNNERS[config.kind] as Runner<ExperimentKind>;
  return runner(config, ctx, backend);
}
