/** Captions of the loss-study preset and the kind's takeaway, bound to the run's numbers (see narration.ts). */
import { accuracyOf, compare, fixed, gapOf, known, mistakesOf, pct, type Caption, type CaptionMoment, type RunFacts } from '../narration';
/** What these captions read of a loss-study config (written out here: the spec imports the captions, never the reverse). */
interface LossStudyConfig {
  weakLabels: { kind: string; temperature: number };
  logconf: { aMax: number; warmup: number };
}

function say(
  stage: string | undefined,
  at: CaptionMoment | undefined,
  text: (f: RunFacts<LossStudyConfig>, c: LossStudyConfig) => string,
): Caption<LossStudyConfig> {
  return { stage, at, text: (f) => text(f, f.config) };
}

const LOSSES = ['xent', 'logconf', 'product'] as const;
const pgrOf = (f: RunFacts<unknown>, student: string) => gapOf(f, { lower: 'weak', upper: 'ceiling', student });
const copyOf = (f: RunFacts<unknown>, student: string) => mistakesOf(f, 'weak', student)?.copyRate ?? null;

/** How a loss compares with cross-entropy: fewer or more copies, more or less of the gap. */
function againstXent(f: RunFacts<unknown>, loss: string): string {
  const [copy, copyX, pgr, pgrX] = [copyOf(f, loss), copyOf(f, 'xent'), pgrOf(f, loss), pgrOf(f, 'xent')];
  if (!known(copy, copyX, pgr, pgrX)) return '';
  const copies = compare(copy!, copyX!, { above: 'copies more mistakes', below: 'copies fewer mistakes', level: 'copies as many mistakes' });
  const recovers = compare(pgr!, pgrX!, { above: 'recovers more of the gap', below: 'recovers less of the gap', level: 'recovers as much of the gap' }, 0.01);
  return ` It ${copies} (${pct(copy)} against ${pct(copyX)}) and ${recovers} (PGR ${fixed(pgr)} against ${fixed(pgrX)}) than cross-entropy.`;
}

export const LOSS_STUDY_CAPTIONS: readonly Caption<LossStudyConfig>[] = [
  say('weak', 'start', (f) => {
    const weak = accuracyOf(f, 'weak');
    return `One weak supervisor${weak !== null ? ` (${pct(weak)} on test)` : ''}, one strong ceiling, and ${LOSSES.length} copies of the same strong student: same start, same labels, same data order. Only the loss differs.`;
  }),
  say('weak', 'end', (_f, c) => {
    const t = c.weakLabels.temperature;
    if (c.weakLabels.kind === 'hard') return 'The weak labels are hard: one class per digit, as sure of its mistakes as of the rest.';
    if (t < 1) return `The weak labels are sharpened (temperature ${t}): the supervisor sounds sure of itself even where it is wrong.`;
    return `The weak labels are soft (temperature ${t}): the supervisor's doubts travel with its labels.`;
  }),
  say('xent', 'end', (f) => {
    const copy = copyOf(f, 'xent');
    return `Cross-entropy (xent) learns the labels as given${copy !== null ? `: it copies ${pct(copy)} of the supervisor's mistakes` : ''}.`;
  }),
  say(
    'logconf',
    'end',
    (f, c) =>
      `The auxiliary confidence loss (logconf) mixes the student's own hardened predictions into the target, up to ${pct(c.logconf.aMax, 0)} of it after a ${pct(c.logconf.warmup, 0)} warm-up.${againstXent(f, 'logconf')}`,
  ),
  say(
    'product',
    'end',
    (f) =>
      `The product loss weights the labels by the student's own belief (target proportional to p times y); with hard labels it would be plain cross-entropy.${againstXent(f, 'product')}`,
  ),
  say('product', 'end', (f) => {
    const copies = LOSSES.map((l) => ({ l, copy: copyOf(f, l) }));
    if (!known(...copies.map((c) => c.copy)))
      return 'The bar chart puts PGR and copy rate side by side; pick a student in the beat-or-copy matrix to see which mistakes each one copied.';
    const least = copies.reduce((a, b) => (b.copy! < a.copy! ? b : a));
    return `The bar chart puts PGR and copy rate side by side: ${least.l} copies the fewest mistakes (${pct(least.copy)}). Pick a student in the beat-or-copy matrix to see which mistakes each one copied.`;
  }),
];

/** The line under a loss-study run's lesson plot. */
export function lossStudyTakeaway(f: RunFacts<LossStudyConfig>): string | null {
  const scored = LOSSES.map((l) => ({ l, pgr: pgrOf(f, l), copy: copyOf(f, l) })).filter((s) => known(s.pgr, s.copy));
  if (scored.length === 0) return null;
  return `${scored.map((s) => `${s.l}: PGR ${fixed(s.pgr)}, copy rate ${pct(s.copy)}`).join('; ')}.`;
}
