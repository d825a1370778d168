/** The hard-vs-easy story, each number read from the run on screen (see narration.ts). */
import { accuracyOf, compare, pct, points, type Caption, type RunFacts } from '../narration';
import { noisySettings, type ErrorKind } from './labels';

/** What the captions read of the config (the kind's config has these and more; spec.ts imports this file). */
interface Settings {
  data: { trainSize: number };
  errorRates: number[];
  errorKinds: ErrorKind[];
  groups: number;
  combine: boolean;
  easyWeight: number;
}
type Facts = RunFacts<Settings>;
const config = (f: Facts) => f.config;
const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const rates = (f: Facts) => [...new Set(noisySettings(config(f)).map((s) => s.rate))];

/** The noisy-label student of one kind at one rate (its stage's accuracy), or null when not trained (yet). */
const noisy = (f: RunFacts, kind: string, rate: number, combined = false) => accuracyOf(f, `${kind}-${rate}${combined ? '+easy' : ''}`);

export const HARD_VS_EASY_CAPTIONS: Caption<Settings>[] = [
  {
    stage: 'clean',
    text: (f) => {
      const clean = accuracyOf(f, 'clean');
      return `One student, the pretrained encoder with a linear probe, learns the full task (which digit is it?) on the same ${config(f).data.trainSize} digits again and again, from the same start, each time with other labels. With the true labels${clean === null ? '' : ` it reaches ${pct(clean)}`}: the reference.`;
    },
  },
  {
    stage: 'easy',
    text: (f) => {
      const easy = accuracyOf(f, 'easy');
      return `The easy task: only the true group of each digit, ${config(f).groups} groups of neighbouring digits ({0, 1}, {2, 3}, ...), without a single error. On the full task that gives ${easy === null ? '…' : pct(easy)}: it learns which group a digit is in, and nothing tells the digits of a group apart.`;
    },
  },
  {
    text: (f) => {
      const [low] = rates(f);
      const random = noisy(f, 'random', low);
      const easy = accuracyOf(f, 'easy');
      if (random === null || easy === null) return 'Now the hard task with wrong labels: a share of the digits get another digit as their label.';
      const verdict = compare(random, easy, {
        above: `${points(random, easy)} more than the clean easy labels`,
        below: `${points(random, easy)} less than the clean easy labels`,
        level: 'as much as the clean easy labels',
      });
      return `The hard task with ${percent(low)} of its labels wrong, each wrong label a digit drawn at random: the student still reaches ${pct(random)}, ${verdict}. The wrong labels point every which way; the right ones agree.`;
    },
  },
  {
    text: (f) => {
      const rs = rates(f);
      const rate = rs[Math.floor((rs.length - 1) / 2)];
      const kinds = config(f).errorKinds.map((k) => `${k} ${noisy(f, k, rate) === null ? '…' : pct(noisy(f, k, rate))}`);
      return `Three kinds of error at ${percent(rate)}: random (another digit at random), near-miss (the digit a model trained on the truth finds most likely after the right one) and systematic (always the next digit). Full-task accuracy: ${kinds.join(', ')}. A systematic error is a rule the student can learn.`;
    },
  },
  {
    text: (f) => {
      const rs = rates(f);
      const [low, high] = [rs[0], rs[rs.length - 1]];
      if (rs.length < 2) return 'Kind against rate: compare the kinds of error at each rate on the chart.';
      const [random, systematic] = [noisy(f, 'random', rs[Math.min(1, rs.length - 1)]), noisy(f, 'systematic', low)];
      if (random === null || systematic === null)
        return 'Kind against rate: does a higher rate of random errors teach more than a lower rate of systematic ones?';
      const verdict = compare(random, systematic, {
        above: 'the kind of error matters more than its rate',
        below: 'here the rate mattered more',
        level: 'about the same',
      });
      return `Kind against rate: ${percent(rs[Math.min(1, rs.length - 1)])} random errors teach ${pct(random)}, ${percent(low)} systematic errors ${pct(systematic)}: ${verdict}. At ${percent(high)} wrong, even random errors outvote the right label for every digit.`;
    },
  },
  {
    text: (f) => {
      if (!config(f).combine) return 'The combination of noisy hard labels with the clean easy ones is switched off in this run.';
      const pairs = noisySettings(config(f)).map((s) => [noisy(f, s.kind, s.rate), noisy(f, s.kind, s.rate, true)] as const);
      if (pairs.some(([a, b]) => a === null || b === null))
        return 'Both at once: the noisy hard labels with the clean coarse groups added. (When the run is done.)';
      const helped = pairs.filter(([alone, both]) => both! - alone! > 0.005).length;
      const hurt = pairs.filter(([alone, both]) => alone! - both! > 0.005).length;
      return `Both at once: each target puts ${config(f).easyWeight} on the true group and the rest on the noisy label. It helps in ${helped} of ${pairs.length} settings${hurt ? ` and hurts in ${hurt}` : ''}: the clean groups rule out most wrong labels, but where the noisy labels are mostly right they blur the two digits of a group together.`;
    },
  },
];
