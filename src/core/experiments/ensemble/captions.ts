/** The w2s-ensemble story, each number read from the run on screen (see narration.ts). */
import { mistakeBreakdown } from '../../metrics';
import { accuracyOf, chartPoint, compare, pct, points, type Caption, type RunFacts } from '../narration';

/** What the captions read of the config (the kind's config has these and more; spec.ts imports this file). */
interface Settings {
  data: { supervisorSize: number; controlSize: number };
  members: { count: number; diversity: 'pixels' | 'bootstrap'; viewShare: number };
}
type Facts = RunFacts<Settings>;
const config = (f: Facts) => f.config;

/** The finished members' accuracies. */
function members(f: Facts): number[] {
  return Object.values(f.stages)
    .filter((s) => s.name.startsWith('member-'))
    .map((s) => s.accuracy);
}

/** Copy rate of a student against its own supervisor (null until both are done and the run has its test labels). */
function copyRate(f: RunFacts, supervisor: string, student: string): number | null {
  const [sup, stu, labels] = [f.stages[supervisor], f.stages[student], f.result?.predictions.test.label];
  return sup && stu && labels ? mistakeBreakdown(labels, sup.testPredictions, stu.testPredictions).copyRate : null;
}

export const ENSEMBLE_CAPTIONS: Caption<Settings>[] = [
  {
    stage: 'member-1',
    text: (f) => {
      const c = config(f);
      const view =
        c.members.diversity === 'pixels'
          ? `each sees only its own random ${Math.round(100 * c.members.viewShare)}% of the pixels`
          : 'each learns its own resample of them, drawn with replacement';
      return `${c.members.count} weak supervisors, each a linear model on the same ${c.data.supervisorSize} labelled digits; ${view}. They make different mistakes.`;
    },
  },
  {
    stage: 'ensemble',
    text: (f) => {
      const done = members(f);
      const ensemble = accuracyOf(f, 'ensemble');
      if (done.length === 0) return 'Each supervisor alone, then their average.';
      const [lo, hi] = [Math.min(...done), Math.max(...done)];
      const alone = `Alone they reach ${pct(lo)} to ${pct(hi)}.`;
      if (ensemble === null) return alone;
      const verdict = compare(ensemble, hi, { above: 'better than the best of them', below: 'below the best of them', level: 'level with the best of them' });
      return `${alone} Averaging their probabilities gives ${pct(ensemble)}: ${verdict}. Where only some of them are wrong, the others outvote them.`;
    },
  },
  {
    stage: 'control',
    text: (f) => {
      const [control, ensemble] = [accuracyOf(f, 'control'), accuracyOf(f, 'ensemble')];
      const intro = `The control: one supervisor with every pixel, trained on ${config(f).data.controlSize} other labelled digits, to match the ensemble's accuracy`;
      if (control === null || ensemble === null) return `${intro}.`;
      const where = compare(control, ensemble, { above: 'above', below: 'below', level: 'level with' });
      return `${intro}: ${pct(control)}, ${where === 'level with' ? 'level with' : `${points(control, ensemble)} ${where}`} the ensemble's ${pct(ensemble)}.`;
    },
  },
  {
    stage: 'student',
    text: (f) => {
      const [student, control] = [accuracyOf(f, 'student'), accuracyOf(f, 'control-student')];
      const intro =
        "The same strong student (the pretrained encoder with a linear probe) learns the ensemble's labels, then, from the same start, the control's.";
      if (student === null) return intro;
      if (control === null) return `${intro} On the ensemble's labels it reaches ${pct(student)}.`;
      return `${intro} On the ensemble's labels: ${pct(student)}; on the control's: ${pct(control)}.`;
    },
  },
  {
    text: (f) => {
      const [ensemble, control] = [copyRate(f, 'ensemble', 'student'), copyRate(f, 'control', 'control-student')];
      if (ensemble === null || control === null)
        return "Beat or copy: how many of its own supervisor's mistakes does each student learn? (When the run is done.)";
      const verdict = compare(control, ensemble, {
        above: "the ensemble's mistakes are the ones most supervisors agree on, and still fewer of them get learned",
        below: 'here the ensemble did not make its mistakes harder to learn',
        level: 'about the same share',
      });
      return `Beat or copy: the ensemble's student copies ${pct(ensemble)} of the ensemble's test mistakes, the control's student ${pct(control)} of the control's: ${verdict}.`;
    },
  },
  {
    text: (f) => {
      const shared = chartPoint(f, 'shared-errors', 'student', (p) => p.x === 0);
      const unshared = chartPoint(f, 'shared-errors', 'student', (p) => p.x === 1);
      if (!shared || !unshared) return 'Which mistakes get copied: those most supervisors share, or those only some make? (When the run is done.)';
      const verdict = compare(shared.y, unshared.y, {
        above: 'averaging removes the mistakes the supervisors do not share, but the shared ones stay in the labels, and the student learns them',
        below: 'here the shared mistakes were copied less, not more',
        level: 'here it made no difference',
      });
      const count = (label = '') => /\((\d+)\)/.exec(label)?.[1] ?? '…';
      return `The copy chart: on the ${count(shared.label)} test digits most supervisors get wrong, the ensemble's student gives one of their wrong answers ${pct(shared.y)} of the time; on the ${count(unshared.label)} that only some get wrong, ${pct(unshared.y)}: ${verdict}.`;
    },
  },
];
