/**
 * Which stage plays which part, per experiment kind. The gap ratio is (student - lower) / (upper - lower):
 * PGR for weak-to-strong, the share of the gap to the teacher that distillation closes for distillation.
 * No tfjs here: the page imports it.
 */
export const STAGE_ROLES = {
  'weak-to-strong': { supervisor: 'weak', student: 'student', lower: 'weak', upper: 'ceiling', gapName: 'PGR' },
  distillation: { supervisor: 'teacher', student: 'student', lower: 'baseline', upper: 'teacher', gapName: 'gap closed' },
} as const;

export type StageRoles = (typeof STAGE_ROLES)[keyof typeof STAGE_ROLES];
