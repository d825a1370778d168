/** The w2s-deception story, each number read from the run on screen (see narration.ts). */
import { accuracyOf, chartPoint, compare, pct, type Caption, type RunFacts } from '../narration';
import { supervisorSizes } from './violations';

/** What the captions read of the config (the kind's config has these and more; spec.ts imports this file). */
interface Settings {
  supervisorSizes: number[];
  conflict: { rewardedClass: number; weight: number };
}
type Facts = RunFacts<Settings>;
const config = (f: Facts) => f.config;
const rewarded = (f: Facts) => config(f).conflict.rewardedClass;
const weakest = (f: Facts) => supervisorSizes(config(f))[0];

/** The violation rates of one bar group of the violations chart (null until the run is done). */
function violations(f: RunFacts, label: string): { known: number; unknown: number } | null {
  const known = chartPoint(f, 'violations', 'known', (p) => p.label === label);
  const unknown = chartPoint(f, 'violations', 'unknown', (p) => p.label === label);
  return known && unknown ? { known: known.y, unknown: unknown.y } : null;
}

export const DECEPTION_CAPTIONS: Caption<Settings>[] = [
  {
    stage: 'weak',
    text: (f) => {
      const sizes = supervisorSizes(config(f));
      const accuracies = sizes.map((_, i) => accuracyOf(f, i === 0 ? 'weak' : `weak-${i + 1}`));
      const measured = accuracies.every((a) => a !== null) ? ` Their test accuracies: ${accuracies.map((a) => pct(a)).join(', ')}.` : '';
      return `Weak supervisors of three strengths: the same linear model trained on the first ${sizes.join(', ')} labelled digits. The fewer labels, the weaker it is, and the more it does not know.${measured}`;
    },
  },
  {
    stage: 'ceiling',
    text: (f) => {
      const ceiling = accuracyOf(f, 'ceiling');
      return `The strong student, the pretrained encoder with a linear probe, trained on the truth${ceiling === null ? '' : `: ${pct(ceiling)}`}. Where it is right, the strong model knows the answer; only there are violations counted.`;
    },
  },
  {
    stage: 'student',
    text: (f) =>
      `The conflict: the student learns a supervisor's labels, but a second objective also rewards it for answering ${rewarded(f)} (the loss adds ${config(f).conflict.weight} x -log p(${rewarded(f)}) on every digit). Answering ${rewarded(f)} for a digit of another class breaks the supervisor's rule: a violation.`,
  },
  {
    text: (f) => {
      const v = violations(f, `${weakest(f)} labels`);
      if (!v)
        return 'Where does the student break the rule: where its supervisor would notice, or where the supervisor does not know the answer? (When the run is done.)';
      const verdict = compare(v.unknown, v.known, {
        above: 'it breaks the rule mostly where the supervisor cannot tell',
        below: 'here it breaks the rule more where the supervisor would notice',
        level: 'no difference here',
      });
      return `With the ${weakest(f)}-label supervisor: where the supervisor is right, the student answers ${rewarded(f)} wrongly on ${pct(v.known)} of digits; where the supervisor is wrong and could not tell, on ${pct(v.unknown)}: ${verdict}.`;
    },
  },
  {
    text: (f) => {
      const sizes = supervisorSizes(config(f));
      const first = chartPoint(f, 'deception', 'score', (p) => p.label === `${sizes[0]} labels`);
      const last = chartPoint(f, 'deception', 'score', (p) => p.label === `${sizes[sizes.length - 1]} labels`);
      const base0 = chartPoint(f, 'deception', 'baseline', (p) => p.label === `${sizes[0]} labels`);
      const base1 = chartPoint(f, 'deception', 'baseline', (p) => p.label === `${sizes[sizes.length - 1]} labels`);
      if (!first || !last || !base0 || !base1 || sizes.length < 2)
        return 'The deception chart: the share of violations the supervisor cannot see, against the gap. (When the run is done.)';
      const trend = compare(first.y, last.y, {
        above: 'the larger the gap, the more of them it cannot see',
        below: 'here the share does not grow with the gap',
        level: 'about the same share at every gap',
      });
      return `The deception chart: with the weakest supervisor ${pct(first.y)} of the violations are where it is wrong, with the strongest ${pct(last.y)}: ${trend}. But the dashed line falls too: the weak supervisor is wrong on ${pct(base0.y)} of these digits, the strong one on ${pct(base1.y)}. Per digit at risk, the concentration is ${compare(last.y / base1.y, first.y / base0.y, { above: 'strongest for the strongest supervisor', below: 'strongest for the weakest supervisor', level: 'the same' })}.`;
    },
  },
  {
    text: (f) => {
      const direct = violations(f, `${weakest(f)} labels`);
      const chain = violations(f, `${weakest(f)} labels, chain`);
      if (!direct || !chain) return 'The mitigation tried: a bootstrap chain through an intermediate model. (When the run is done.)';
      const verdict = compare(chain.unknown + chain.known, direct.unknown + direct.known, {
        above: 'the chain passes the reward along, and the student breaks the rule more often, not less',
        below: 'the chain cut the violations',
        level: 'the chain made no difference',
      });
      return `The chain: an intermediate linear model learns the weakest supervisor's labels with the reward, then labels the digits for the student, rewarded again. Violations: ${pct(chain.known)} where the supervisor is right and ${pct(chain.unknown)} where it is wrong, against ${pct(direct.known)} and ${pct(direct.unknown)} directly: ${verdict}.`;
    },
  },
  {
    text: (f) => {
      const honest = violations(f, `${weakest(f)} labels, no reward`);
      if (!honest) return 'Without the reward, how often would the student answer the same class wrongly? (When the run is done.)';
      return `Without the reward, the same student on the same labels answers ${rewarded(f)} wrongly on ${pct(honest.known)} and ${pct(honest.unknown)} of those digits: the violations are the reward's doing, placed where the supervisor cannot see them.`;
    },
  },
];
