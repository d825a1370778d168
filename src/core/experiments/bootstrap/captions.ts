/** Captions of the bootstrapping preset and the kind's takeaway, bound to the run's numbers (see narration.ts). */
import {
  accuracyOf,
  compare,
  count,
  fixed,
  gapOf,
  known,
  mistakesOf,
  modelWords,
  pct,
  versus,
  type Caption,
  type CaptionMoment,
  type RunFacts,
} from '../narration';
import type { ModelSpec } from '../../config/blocks';

/** What these captions read of a bootstrapping config (written out here: the spec imports the captions, never the reverse). */
interface BootstrapConfig {
  data: { supervisorSize: number; transferSize: number };
  weakLabels: { kind: string };
  supervisor: { model: ModelSpec };
  chain: readonly { model: ModelSpec }[];
  student: { model: ModelSpec };
}
import { linkName } from './names';

function say(
  stage: string | undefined,
  at: CaptionMoment | undefined,
  text: (f: RunFacts<BootstrapConfig>, c: BootstrapConfig) => string,
): Caption<BootstrapConfig> {
  return { stage, at, text: (f) => text(f, f.config) };
}

const pgrOf = (f: RunFacts<unknown>, student: string) => gapOf(f, { lower: 'weak', upper: 'ceiling', student });
const copyOf = (f: RunFacts<unknown>, student: string) => mistakesOf(f, 'weak', student)?.copyRate ?? null;

export const BOOTSTRAP_CAPTIONS: readonly Caption<BootstrapConfig>[] = [
  say('weak', 'start', (f, c) => {
    const weak = accuracyOf(f, 'weak');
    return `The weak supervisor, ${modelWords(c.supervisor.model)} that saw ${count(c.data.supervisorSize)} labelled digits, labels ${count(c.data.transferSize)} new digits with ${c.weakLabels.kind} labels.${weak !== null ? ` It is right on ${pct(weak)} of test digits.` : ''}`;
  }),
  say('ceiling', 'start', (f, c) => {
    const ceiling = accuracyOf(f, 'ceiling');
    return `The final student is big: ${modelWords(c.student.model)}.${ceiling !== null ? ` Trained on the true labels (the ceiling) it reaches ${pct(ceiling)}.` : ''}`;
  }),
  say('direct', 'end', (f) => {
    const copy = copyOf(f, 'direct');
    if (copy === null) return "Trained straight on the weak labels (direct): does it learn its supervisor's mistakes too?";
    return `Trained straight on the weak labels (direct), it copies ${pct(copy, 0)} of its supervisor's mistakes${copy >= 0.4 ? ': it is big enough to learn them too' : ''}.`;
  }),
  say(linkName(0), 'start', (f, c) => {
    const [weak, link] = [accuracyOf(f, 'weak'), accuracyOf(f, linkName(0))];
    const outcome = known(weak, link)
      ? ` It ends at ${pct(link)}, ${versus(link!, weak!)} the supervisor whose labels it learned: ${link! > weak! ? 'its own labels come out cleaner' : 'its labels are no cleaner'}.`
      : '';
    return `The chain starts small: ${modelWords(c.chain[0].model)} learns the weak labels.${outcome}`;
  }),
  say(undefined, undefined, (f, c) => {
    const accuracies = c.chain.map((_, i) => accuracyOf(f, linkName(i)));
    const end = accuracyOf(f, 'student');
    const steps = known(...accuracies, end) ? ` Test accuracy along the chain: ${[...accuracies, end].map((a) => pct(a)).join(', ')}.` : '';
    return `Each link learns from the one before, and the big student from the last link's labels.${steps}`;
  }),
  say('student', 'end', (f) => {
    const [end, direct] = [accuracyOf(f, 'student'), accuracyOf(f, 'direct')];
    const [pgrEnd, pgrDirect] = [pgrOf(f, 'student'), pgrOf(f, 'direct')];
    const [copyEnd, copyDirect] = [copyOf(f, 'student'), copyOf(f, 'direct')];
    if (!known(end, direct, pgrEnd, pgrDirect, copyEnd, copyDirect)) return "The chain plot: accuracy link by link, against the direct student's line.";
    const wins = compare(end!, direct!, { above: 'ends above the direct line', below: 'ends below the direct line', level: 'ends level with the direct line' });
    return `The chain plot: the chain ${wins} (${pct(end)} against ${pct(direct)}; PGR ${fixed(pgrEnd)} against ${fixed(pgrDirect)}), and its end copies ${pct(copyEnd, 0)} of the supervisor's mistakes against ${pct(copyDirect, 0)}.`;
  }),
];

/** The line under a bootstrapping run's lesson plot. */
export function bootstrapTakeaway(f: RunFacts<BootstrapConfig>): string | null {
  const [end, direct, pgrEnd, pgrDirect] = [accuracyOf(f, 'student'), accuracyOf(f, 'direct'), pgrOf(f, 'student'), pgrOf(f, 'direct')];
  if (!known(end, direct)) return null;
  const pgr = known(pgrEnd, pgrDirect) ? ` (PGR ${fixed(pgrEnd)} against ${fixed(pgrDirect)})` : '';
  return `The chain's end reaches ${pct(end)}, ${versus(end!, direct!)} the same model supervised directly (${pct(direct)})${pgr}.`;
}
