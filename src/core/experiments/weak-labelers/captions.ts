/** The weak-labelers story, each number read from the run on screen (see narration.ts). */
import { accuracyOf, compare, pct, points, type Caption, type RunFacts } from '../narration';

/** What the captions read of the config (the kind's config has these and more; spec.ts imports this file). */
interface Settings {
  functions: number[];
  data: { labelledSize: number; unlabelledSize: number };
}
type Facts = RunFacts<Settings>;

const accuracies = (f: Facts) => f.config.functions.map((_, i) => accuracyOf(f, `lf-${i + 1}`)).filter((a): a is number => a !== null);

/** "beats", "trails" or "matches" `b`, with the points between them. */
function against(a: number, b: number, name: string): string {
  return compare(a, b, { above: `beats ${name} by ${points(a, b)}`, below: `trails ${name} by ${points(a, b)}`, level: `matches ${name}` });
}

export const WEAK_LABELER_CAPTIONS: Caption<Settings>[] = [
  {
    stage: 'lf-1',
    text: (f) => {
      const n = f.config.functions.length;
      const done = accuracies(f);
      const range = done.length ? ` So far they reach ${pct(Math.min(...done))} to ${pct(Math.max(...done))} on test.` : '';
      return `${n} labelling functions stand in for the heuristics a team writes instead of labels: each a small model that sees only its own random share of the pixels, from half of them down to a handful, so some are decent and some near chance (10% for digits).${range}`;
    },
  },
  {
    stage: 'vote',
    text: (f) => {
      const vote = accuracyOf(f, 'vote');
      const done = accuracies(f);
      if (vote === null || done.length === 0) return 'First the plain vote: every function one vote, the most voted digit wins.';
      const best = Math.max(...done);
      return `The plain vote, every function one vote: ${pct(vote)}. It ${against(vote, best, 'the best function alone')}: the near-chance functions vote as loudly as the good ones.`;
    },
  },
  {
    stage: 'dawid-skene',
    text: (f) => {
      const ds = accuracyOf(f, 'dawid-skene');
      const vote = accuracyOf(f, 'vote');
      if (ds === null || vote === null)
        return `Dawid-Skene estimates, from the votes on ${f.config.data.unlabelledSize} unlabelled digits alone, how often each function is right and which digits it confuses.`;
      return `Dawid-Skene, from the votes on ${f.config.data.unlabelledSize} unlabelled digits and no label at all, estimates how often each function is right (the blue bars) and trusts it accordingly: ${pct(ds)}, which ${against(ds, vote, 'the plain vote')}.`;
    },
  },
  {
    stage: 'weighted',
    text: (f) => {
      const n = f.config.data.labelledSize;
      const weighted = accuracyOf(f, 'weighted');
      const vote = accuracyOf(f, 'vote');
      if (weighted === null || vote === null) return `With ${n} labels, each function's accuracy can be measured and its vote weighted by the log odds of it.`;
      return `With ${n} labels each function's accuracy is measured, and its vote weighs log(a (C - 1) / (1 - a)): nothing at chance. The weighted vote reaches ${pct(weighted)}, which ${against(weighted, vote, 'the plain vote')}.`;
    },
  },
  {
    stage: 'probe',
    text: (f) => {
      const n = f.config.data.labelledSize;
      const probe = accuracyOf(f, 'probe');
      const weighted = accuracyOf(f, 'weighted');
      const ds = accuracyOf(f, 'dawid-skene');
      if (probe === null || weighted === null || ds === null)
        return `The question of the papers: would the same ${n} labels do as well on their own, with a probe on a pretrained encoder?`;
      const bestModel = Math.max(weighted, ds);
      return `The question of the papers: the ${n} labels on their own, a probe on the pretrained encoder, reach ${pct(probe)}, which ${against(probe, bestModel, 'the best label model')}. ${probe > bestModel + 0.005 ? 'Here a good representation and a few labels are worth more than ten weak labellers.' : 'Here the weak labellers earn their keep.'}`;
    },
  },
];
