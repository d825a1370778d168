/**
 * Which stage plays which part, per experiment kind. The gap ratio is (student - lower) / (upper - lower):
 * PGR for weak-to-strong, the share of the gap to the teacher that distillation closes for distillation.
 * The beat/copy matrix compares `student` (or any of `students`, the page offers a choice) with `supervisor`.
 * No tfjs here: the page imports it.
 */
import type { ExperimentKind } from '../config';

export interface StageRoles {
  supervisor: string;
  student: string;
  lower: string;
  upper: string;
  /** Name of the gap ratio; null where the experiment has none. */
  gapName: string | null;
  /** Students compared side by side (loss study, distillation variants, the chain's end and direct supervision); `student` is the one shown first. */
  students?: readonly string[];
}

export const STAGE_ROLES: Record<ExperimentKind, StageRoles> = {
  'weak-to-strong': { supervisor: 'weak', student: 'student', lower: 'weak', upper: 'ceiling', gapName: 'PGR' },
  distillation: { supervisor: 'teacher', student: 'student', lower: 'baseline', upper: 'teacher', gapName: 'gap closed' },
  bootstrap: { supervisor: 'weak', student: 'student', lower: 'weak', upper: 'ceiling', gapName: 'PGR', students: ['student', 'direct'] },
  'loss-study': { supervisor: 'weak', student: 'logconf', lower: 'weak', upper: 'ceiling', gapName: 'PGR', students: ['xent', 'logconf', 'product'] },
  'kd-variants': { supervisor: 'teacher', student: 'kd', lower: 'baseline', upper: 'teacher', gapName: 'gap closed', students: ['kd', 'reverse-kl', 'taid'] },
  'random-teacher': { supervisor: 'teacher', student: 'student', lower: 'teacher', upper: 'teacher', gapName: null },
  'teacher-hacking': { supervisor: 'teacher', student: 'fixed', lower: 'teacher', upper: 'teacher', gapName: null, students: ['fixed', 'fresh'] },
};
