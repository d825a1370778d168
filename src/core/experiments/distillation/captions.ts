/**
 * Captions of the distillation presets (kd-mnist; kd-variants reuses the teacher's and the student alone's) and
 * the kind's takeaway, bound to the run's numbers (see narration.ts).
 */
import { accuracyOf, count, gapOf, known, modelWords, pct, versus, type Caption, type CaptionMoment, type RunFacts } from '../narration';
import type { ModelSpec } from '../../config/blocks';

/** What these captions read of a distillation config, or of any config with a teacher, a student and labelled rows. */
export interface DistillationFamily {
  data: { trainSize: number; labelledSize: number };
  teacher: { model: ModelSpec };
  student: { model: ModelSpec };
}

function say(
  stage: string | undefined,
  at: CaptionMoment | undefined,
  text: (f: RunFacts<DistillationFamily>, c: DistillationFamily) => string,
): Caption<DistillationFamily> {
  return { stage, at, text: (f) => text(f, f.config) };
}

/** "… (94.9%)": the share of the gap to the teacher a student closes, in words. */
export function gapClosed(f: RunFacts<unknown>, student: string): string {
  const gap = gapOf(f, { lower: 'baseline', upper: 'teacher', student });
  return gap === null ? '' : `, closing ${pct(gap, 0)} of the gap to the teacher`;
}

export const TEACHER_CAPTION = say('teacher', 'start', (f, c) => {
  const teacher = accuracyOf(f, 'teacher');
  return `The teacher (purple), ${modelWords(c.teacher.model)}, trains on all ${count(c.data.trainSize)} labelled digits${teacher !== null ? ` and reaches ${pct(teacher)}` : ''}.`;
});

export const BASELINE_CAPTION = say('baseline', 'start', (f, c) => {
  const alone = accuracyOf(f, 'baseline');
  return `The student alone, ${modelWords(c.student.model)}, trains on only ${count(c.data.labelledSize)} of them${alone !== null ? ` and stalls at ${pct(alone)}` : ''} (grey).`;
});

export const KD_MNIST_CAPTIONS: readonly Caption<DistillationFamily>[] = [
  TEACHER_CAPTION,
  BASELINE_CAPTION,
  say('student', 'start', (f, c) => {
    const [alone, student] = [accuracyOf(f, 'baseline'), accuracyOf(f, 'student')];
    const outcome = known(alone, student) ? `: ${pct(student)}, ${versus(student!, alone!)} the student alone${gapClosed(f, 'student')}` : '';
    return `The same student distilled from the teacher over all ${count(c.data.trainSize)} images (green)${outcome}.`;
  }),
  say('student', 'end', (f, c) => {
    const [alone, student] = [accuracyOf(f, 'baseline'), accuracyOf(f, 'student')];
    const unlabelled = count(c.data.trainSize - c.data.labelledSize);
    if (known(alone, student) && student! <= alone! + 0.005)
      return `Here the teacher's soft predictions on the ${unlabelled} images without labels did not help the student.`;
    return `The teacher's soft predictions carry its knowledge to the ${unlabelled} images the student has no labels for.`;
  }),
  'In our measurements (README), given the same labels as the teacher, distillation added nothing at this scale: its power is reaching unlabelled data.',
];

/** The line under a distillation run's lesson plot. */
export function distillationTakeaway(f: RunFacts<DistillationFamily>): string | null {
  const [teacher, alone, student] = [accuracyOf(f, 'teacher'), accuracyOf(f, 'baseline'), accuracyOf(f, 'student')];
  if (!known(teacher, alone, student)) return null;
  return `Distilled over every image, the student reaches ${pct(student)}, ${versus(student!, alone!)} the same student on its labels alone (${pct(alone)})${gapClosed(f, 'student')} (${pct(teacher)}).`;
}
