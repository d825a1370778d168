/** Captions of the random-teacher preset and the kind's takeaway, bound to the run's numbers (see narration.ts). */
import { accuracyOf, count, known, pct, points, seriesOf, type Caption, type CaptionMoment, type RunFacts } from '../narration';
/** What these captions read of a random-teacher config (written out here: the spec imports the captions, never the reverse). */
interface RandomTeacherConfig {
  data: { trainSize: number; probeSize: number };
  teacher: { model: { width: number; depth: number } };
  outputDim: number;
  teacherTemperature: number;
  initNearTeacher: number;
  probeEvery: number;
}

function say(
  stage: string | undefined,
  at: CaptionMoment | undefined,
  text: (f: RunFacts<RandomTeacherConfig>, c: RandomTeacherConfig) => string,
): Caption<RandomTeacherConfig> {
  return { stage, at, text: (f) => text(f, f.config) };
}

/** The student's first probe measurement above the teacher's line, if any. */
function firstAbove(f: RunFacts<unknown>) {
  const teacher = accuracyOf(f, 'teacher');
  return teacher === null ? null : (seriesOf(f, 'probe-accuracy', 'student').find((p) => p.y > teacher) ?? null);
}

const architecture = (c: RandomTeacherConfig) => `${Array.from({ length: c.teacher.model.depth }, () => c.teacher.model.width).join('-')}-${c.outputDim}`;

export const RANDOM_TEACHER_CAPTIONS: readonly Caption<RandomTeacherConfig>[] = [
  say('teacher', 'start', (_f, c) => `The teacher is a network that was never trained: hidden layers and output ${architecture(c)}, random weights, frozen.`),
  say('teacher', 'end', (f, c) => {
    const teacher = accuracyOf(f, 'teacher');
    return `A linear probe, trained on ${count(c.data.probeSize)} labelled digits, reads the teacher's hidden layer${teacher !== null ? `: ${pct(teacher)} on test` : ''}. That is what random features are worth (dashed line).`;
  }),
  say('student', 'start', (_f, c) => {
    const start = c.initNearTeacher > 0 ? `starts near the teacher (teacher + ${c.initNearTeacher} x random weights)` : 'starts from random weights of its own';
    const sharp = c.teacherTemperature < 1 ? 'sharpened ' : '';
    return `The student has the same architecture and ${start}. It learns, without labels, to match the teacher's ${sharp}output distribution on ${count(c.data.trainSize)} digits.`;
  }),
  say('student', 'end', (f, c) => {
    const [teacher, student] = [accuracyOf(f, 'teacher'), accuracyOf(f, 'student')];
    const head = `Every ${count(c.probeEvery)} steps the same probe is trained on the student's hidden layer.`;
    if (!known(teacher, student)) return head;
    const above = firstAbove(f);
    const crossed = above ? ` It is above the dashed line from step ${count(above.x)}` : ' It never gets above the dashed line';
    return `${head}${crossed} and ends at ${pct(student)}: ${points(student!, teacher!)} ${student! >= teacher! ? 'better' : 'worse'} than the teacher's features.`;
  }),
  say(undefined, undefined, (f) => {
    const [teacher, student] = [accuracyOf(f, 'teacher'), accuracyOf(f, 'student')];
    if (known(teacher, student) && student! <= teacher!)
      return 'This time imitating noise did not improve the features: the probe on the student does no better than on the teacher.';
    return 'Imitating noise taught the student something about the data: its features organise the digits better than the random ones it copied.';
  }),
  say(
    undefined,
    undefined,
    (_f, c) =>
      `Try the eps slider (now ${c.initNearTeacher}): in our measurements an independent start (eps 0) gains about as much at this width; the paper finds that starting near the teacher amplifies the effect.`,
  ),
];

/** The line under a random-teacher run's lesson plot. */
export function randomTeacherTakeaway(f: RunFacts<RandomTeacherConfig>): string | null {
  const [teacher, student] = [accuracyOf(f, 'teacher'), accuracyOf(f, 'student')];
  if (!known(teacher, student)) return null;
  return `A linear probe on the student's features scores ${pct(student)}, ${points(student!, teacher!)} ${student! >= teacher! ? 'above' : 'below'} the same probe on the random teacher's (${pct(teacher)}).`;
}
