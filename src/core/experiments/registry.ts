/**
 * Runs one experiment of any kind: each kind of kinds.ts paired with its tfjs runner. The mapped type makes the
 * compiler refuse a kind without a runner.
 */
import { parseConfig } from '../config/read';
import type { KindConfig } from '../config/schema';
import { tf } from '../tf';
import { runActiveDistillation } from './active-distillation/run';
import { runBootstrap } from './bootstrap/run';
import { createRunContext, type RunContext, type RunOptions } from './context';
import type { ExperimentResult } from './contract';
import { runDeception } from './deception/run';
import { runDistillation } from './distillation/run';
import { runEnsemble } from './ensemble/run';
import { runHardVsEasy } from './hard-vs-easy/run';
import { runFeatureKd } from './feature-kd/run';
import { runKdVariants } from './kd-variants/run';
import { runKnowWhatTheyKnow } from './know-what-they-know/run';
import type { ExperimentKind } from './kinds';
import { runWeakLabelers } from './weak-labelers/run';
import { runLmDataSelection } from './lm-data-selection/run';
import { runLmDistill } from './lm-distill/run';
import { runLmTeacherHacking } from './lm-teacher-hacking/run';
import { runLossStudy } from './loss-study/run';
import { runModelUpdate } from './model-update/run';
import { runPoisonedTeacher } from './poisoned-teacher/run';
import { runProgressiveKd } from './progressive-kd/run';
import { runRandomTeacher } from './random-teacher/run';
import { runTeacherHacking } from './teacher-hacking/run';
import { runTeacherIntervention } from './teacher-intervention/run';
import { runWeakToStrong } from './weak-to-strong/run';

export type Runner<K extends ExperimentKind> = (ctx: RunContext<KindConfig<K>>) => Promise<ExperimentResult>;

/** One runner per experiment kind. */
const RUNNERS: { [K in ExperimentKind]: Runner<K> } = {
  'weak-to-strong': runWeakToStrong,
  distillation: runDistillation,
  bootstrap: runBootstrap,
  'loss-study': runLossStudy,
  'kd-variants': runKdVariants,
  'random-teacher': runRandomTeacher,
  'teacher-hacking': runTeacherHacking,
  ensemble: runEnsemble,
  deception: runDeception,
  'hard-vs-easy': runHardVsEasy,
  'weak-labelers': runWeakLabelers,
  'lm-distill': runLmDistill,
  'lm-teacher-hacking': runLmTeacherHacking,
  'lm-data-selection': runLmDataSelection,
  'feature-kd': runFeatureKd,
  'poisoned-teacher': runPoisonedTeacher,
  'know-what-they-know': runKnowWhatTheyKnow,
  'active-distillation': runActiveDistillation,
  'progressive-kd': runProgressiveKd,
  'model-update': runModelUpdate,
  'teacher-intervention': runTeacherIntervention,
};

/** Validates `input` (throws ConfigError naming each bad field) and runs it on the active backend. */
export async function runExperiment(input: unknown, options: Omit<RunOptions, 'backend'>): Promise<ExperimentResult> {
  const config = parseConfig(input);
  const ctx = createRunContext(config, { ...options, backend: tf.getBackend() });
  const runner = RUNNERS[config.kind] as Runner<ExperimentKind>;
  return runner(ctx);
}
