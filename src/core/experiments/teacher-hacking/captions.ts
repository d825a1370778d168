/** Captions of the teacher-hacking preset and the kind's takeaway, bound to the run's numbers (see narration.ts). */
import { accuracyOf, count, extremeOf, fixed, known, pct, seriesOf, versus, type Caption, type CaptionMoment, type RunFacts } from '../narration';
/** What these captions read of a teacher-hacking config (written out here: the spec imports the captions, never the reverse). */
interface TeacherHackingConfig {
  oracle: { numClasses: number };
  data: { teacherSize: number; transferSize: number; testSize: number };
  student: { train: { epochs: number; batchSize: number } };
}

function say(
  stage: string | undefined,
  at: CaptionMoment | undefined,
  text: (f: RunFacts<TeacherHackingConfig>, c: TeacherHackingConfig) => string,
): Caption<TeacherHackingConfig> {
  return { stage, at, text: (f) => text(f, f.config) };
}

/** A regime's distances: the proxy's first and last values, the golden distance's minimum and last value. */
function distances(f: RunFacts<unknown>, regime: 'fixed' | 'fresh') {
  const proxy = seriesOf(f, 'distances', `${regime}-proxy`);
  const golden = seriesOf(f, 'distances', `${regime}-golden`);
  if (proxy.length < 2 || golden.length < 2) return null;
  return { proxyFirst: proxy[0].y, proxyLast: proxy.at(-1)!.y, goldenMin: extremeOf(golden, 'min')!, goldenLast: golden.at(-1)!.y };
}

const steps = (c: TeacherHackingConfig) => c.student.train.epochs * Math.ceil(c.data.transferSize / c.student.train.batchSize);

export const TEACHER_HACKING_CAPTIONS: readonly Caption<TeacherHackingConfig>[] = [
  say(
    'teacher',
    'start',
    (_f, c) =>
      `The oracle (the truth) is a random network: every point gets a probability for each of ${c.oracle.numClasses} classes. Accuracy is measured against its most likely class.`,
  ),
  say('teacher', 'end', (f, c) => {
    const teacher = accuracyOf(f, 'teacher');
    return `The teacher sees only ${count(c.data.teacherSize)} points, each with a class drawn from the oracle, and learns them by heart: an imperfect copy of the oracle${teacher !== null ? ` (${pct(teacher)} against the oracle's most likely class)` : ''}.`;
  }),
  say('fixed', 'start', (_f, c) => {
    const n = c.data.transferSize;
    const epochs = c.student.train.epochs;
    return `A small student learns the teacher's probabilities on one fixed set of ${count(n)} points, ${count(epochs)} times over (red), or on ${count(n)} new points every epoch, ${count(n * epochs)} in all (blue): the same ${count(steps(c))} steps.`;
  }),
  say(
    'fixed',
    'start',
    (_f, c) =>
      `Distances on ${count(c.data.testSize)} held-out points: the proxy (dashed) is how far the student is from the teacher, the golden distance (solid) how far it is from the oracle.`,
  ),
  say('fixed', 'end', (f) => {
    const d = distances(f, 'fixed');
    if (!d) return 'Fixed set: watch the proxy and the golden distance.';
    const hacked = d.goldenLast > 1.5 * d.goldenMin.y;
    const proxy = `the proxy goes from ${fixed(d.proxyFirst, 3)} to ${fixed(d.proxyLast, 3)}`;
    return hacked
      ? `Fixed set: ${proxy}, but the golden distance turns at step ${count(d.goldenMin.x)} (${fixed(d.goldenMin.y, 3)}) and climbs to ${fixed(d.goldenLast, 3)}, ${fixed(d.goldenLast / d.goldenMin.y, 1)} times its minimum. The student is learning the teacher's quirks, not the truth: teacher hacking.`
      : `Fixed set: ${proxy}, and the golden distance ends at ${fixed(d.goldenLast, 3)}, near its minimum of ${fixed(d.goldenMin.y, 3)}: no teacher hacking on this run.`;
  }),
  say('fresh', 'end', (f) => {
    const [fixedSet, fresh] = [distances(f, 'fixed'), distances(f, 'fresh')];
    const [teacher, student] = [accuracyOf(f, 'teacher'), accuracyOf(f, 'fresh')];
    if (!fixedSet || !fresh || !known(teacher, student)) return 'Fresh points: the same number of steps, new points every epoch.';
    const nearer = fresh.goldenLast < fixedSet.goldenLast ? 'nearer to' : 'no nearer to';
    return `Fresh points: the student ends ${nearer} the oracle (golden ${fixed(fresh.goldenLast, 3)} against ${fixed(fixedSet.goldenLast, 3)} on the fixed set), at ${pct(student)} against the oracle, ${versus(student!, teacher!)} its teacher's ${pct(teacher)}.`;
  }),
  'Watching only the proxy, you would never see it. Fresh data (or more of it) is the remedy the paper found.',
];

/** The line under a teacher-hacking run's lesson plot. */
export function teacherHackingTakeaway(f: RunFacts<TeacherHackingConfig>): string | null {
  const [fixedSet, fresh] = [distances(f, 'fixed'), distances(f, 'fresh')];
  if (!fixedSet) return null;
  const freshText = fresh ? `; on fresh points it ends at ${fixed(fresh.goldenLast, 3)}` : '';
  return `On the fixed set the distance to the truth falls to ${fixed(fixedSet.goldenMin.y, 3)} at step ${count(fixedSet.goldenMin.x)}, then ends at ${fixed(fixedSet.goldenLast, 3)}, while the distance to the teacher goes from ${fixed(fixedSet.proxyFirst, 3)} to ${fixed(fixedSet.proxyLast, 3)}${freshText}.`;
}
