/**
 * The one list of experiment kinds (page-safe: specs only, no tfjs). The config union, the stage roles, the form,
 * the gallery, the presets and the benchmark cases are all assembled from it; registry.ts pairs each kind with
 * its runner, and the compiler refuses a kind listed here without one.
 */
import { activeDistillation } from './active-distillation/spec';
import { bootstrap } from './bootstrap/spec';
import type { KindSpec } from './kind';
import { deception } from './deception/spec';
import { distillation } from './distillation/spec';
import { ensemble } from './ensemble/spec';
import { hardVsEasy } from './hard-vs-easy/spec';
import { featureKd } from './feature-kd/spec';
import { kdVariants } from './kd-variants/spec';
import { lmDataSelection } from './lm-data-selection/spec';
import { lmDistill } from './lm-distill/spec';
import { lmTeacherHacking } from './lm-teacher-hacking/spec';
import { knowWhatTheyKnow } from './know-what-they-know/spec';
import { lossStudy } from './loss-study/spec';
import { modelUpdate } from './model-update/spec';
import { poisonedTeacher } from './poisoned-teacher/spec';
import { progressiveKd } from './progressive-kd/spec';
import { randomTeacher } from './random-teacher/spec';
import { teacherHacking } from './teacher-hacking/spec';
import { teacherIntervention } from './teacher-intervention/spec';
import { weakLabelers } from './weak-labelers/spec';
import { weakToStrong } from './weak-to-strong/spec';

/** In the order the gallery and the preset list show them. */
export const KIND_SPECS = [
  weakToStrong,
  distillation,
  bootstrap,
  lossStudy,
  kdVariants,
  randomTeacher,
  teacherHacking,
  ensemble,
  deception,
  hardVsEasy,
  weakLabelers,
  lmDistill,
  lmTeacherHacking,
  lmDataSelection,
  featureKd,
  poisonedTeacher,
  knowWhatTheyKnow,
  activeDistillation,
  progressiveKd,
  modelUpdate,
  teacherIntervention,
] as const;

export type ExperimentKind = (typeof KIND_SPECS)[number]['kind'];
type AnySpec = (typeof KIND_SPECS)[number];
export type SpecOf<K extends ExperimentKind> = Extract<AnySpec, { kind: K }>;

export function kindSpec<K extends ExperimentKind>(kind: K): SpecOf<K> {
  const spec = KIND_SPECS.find((s) => s.kind === kind);
  if (!spec) throw new Error(`unknown experiment kind "${kind}"`);
  return spec as SpecOf<K>;
}

/** A kind's spec as code that handles every kind sees it (the config it is given is already of that kind). */
export function specOf(kind: ExperimentKind): KindSpec {
  return kindSpec(kind);
}
