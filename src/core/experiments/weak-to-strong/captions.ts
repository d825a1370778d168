/**
 * The weak-to-strong presets' captions and the kind's takeaway, bound to the run's numbers (see narration.ts):
 * every figure is read from the run on screen, and each claim is checked against those figures.
 */
import {
  accuracyOf,
  compare,
  count,
  fixed,
  gapOf,
  known,
  listOf,
  mistakesOf,
  modelWords,
  pct,
  points,
  seriesOf,
  versus,
  type Caption,
  type CaptionMoment,
  type RunFacts,
} from '../narration';
import type { ModelSpec } from '../../config/blocks';

/** What these captions read of a weak-to-strong config (written out here: the spec imports the captions, never the reverse). */
interface W2sConfig {
  data: { supervisorSize: number; transferSize: number; validationSize: number };
  supervisor: { model: ModelSpec; source: { type: string; rate?: number; classes?: number } };
  student: { model: ModelSpec; train: { epochs: number; learningRate: number } };
}

const ROLES = { lower: 'weak', upper: 'ceiling', student: 'student' };

/** A caption over a weak-to-strong run's facts and config. */
function say(stage: string | undefined, at: CaptionMoment | undefined, text: (f: RunFacts<W2sConfig>, c: W2sConfig) => string): Caption<W2sConfig> {
  return { stage, at, text: (f) => text(f, f.config) };
}

/** The measured figures most captions quote. */
function figures(f: RunFacts<W2sConfig>) {
  return {
    weak: accuracyOf(f, 'weak'),
    ceiling: accuracyOf(f, 'ceiling'),
    student: accuracyOf(f, 'student'),
    gap: gapOf(f, ROLES),
    m: mistakesOf(f, 'weak', 'student'),
  };
}

/** "It ends at 78.3%, 8.2 points above its supervisor's 70.1% (PGR 0.38)." */
function studentEnds(f: RunFacts<W2sConfig>): string {
  const { weak, student, gap } = figures(f);
  if (!known(weak, student)) return '';
  return ` It ends at ${pct(student)}, ${versus(student!, weak!)} its supervisor's ${pct(weak)}${gap !== null ? ` (PGR ${fixed(gap)})` : ''}.`;
}

/** "it corrects 49% of its supervisor's mistakes and copies 32%", or '' before the student has finished. */
function beatsAndCopies(f: RunFacts<W2sConfig>): string {
  const { m } = figures(f);
  if (!m || !known(m.beatRate, m.copyRate)) return '';
  return `it corrects ${pct(m.beatRate, 0)} of its supervisor's mistakes and copies ${pct(m.copyRate, 0)}`;
}

/** Whether the student corrected more of its supervisor's mistakes than it copied; null before it has finished. */
function beatsMore(f: RunFacts<W2sConfig>): boolean | null {
  const { m } = figures(f);
  return m && known(m.beatRate, m.copyRate) ? (m.beatRate as number) > (m.copyRate as number) : null;
}

const supervisorLabels = (c: W2sConfig) => `${count(c.data.transferSize)} new digits`;

export const W2S_MNIST_CAPTIONS: readonly Caption<W2sConfig>[] = [
  say('weak', 'start', (f, c) => {
    const { weak } = figures(f);
    return `The weak supervisor (orange) is ${modelWords(c.supervisor.model)} that sees only ${count(c.data.supervisorSize)} labelled digits.${weak !== null ? ` It tops out at ${pct(weak)} on test.` : ' Watch where it tops out.'}`;
  }),
  say('weak', 'end', (f, c) => {
    const { weak } = figures(f);
    return `It labels ${supervisorLabels(c)} for the strong student${weak !== null ? `, and it is right on only ${pct(weak)} of test digits: about ${pct(1 - weak, 0)} of its labels are wrong` : ''}. A trained model's mistakes are consistent, not random.`;
  }),
  say('ceiling', 'start', (f) => {
    const { ceiling } = figures(f);
    return `The strong ceiling (blue) is the same strong model trained on the true labels: the best the student could do.${ceiling !== null ? ` It reaches ${pct(ceiling)}.` : ''}`;
  }),
  say('student', 'start', (f) => `The student (green) learns only from the weak labels.${studentEnds(f) || ' Watch PGR as it trains.'}`),
  say('student', 'end', (f) => {
    const words = beatsAndCopies(f);
    if (!words) return 'Beat or copy: how many of its supervisor\'s mistakes does the student correct, and how many does it copy? Click "beats" to see them.';
    return `Beat or copy: ${words}. It ${beatsMore(f) ? 'beats more mistakes than it copies' : 'copies more mistakes than it beats'}. Click "beats" to see them.`;
  }),
  say(undefined, undefined, (_f, c) =>
    c.student.model.type === 'pretrained' && c.student.model.encoder === 'supervised'
      ? `Why? Its encoder was pretrained with labels on other digits: the concept "digit" is already in its features, and the weak labels only have to point at it.`
      : `Its encoder was not pretrained with labels here, so the student has no concept of its own to fall back on.`,
  ),
];

export const W2S_NO_CONCEPT_CAPTIONS: readonly Caption<W2sConfig>[] = [
  say('weak', 'start', (f) => {
    const { weak } = figures(f);
    return `Same supervisor${weak !== null ? ` (${pct(weak)} on test)` : ''}, same labels, same student size. Only the student's encoder differs: it learned the images without labels, as an autoencoder.`;
  }),
  say('ceiling', 'end', (f) => {
    const { ceiling } = figures(f);
    return `With the true labels this encoder still gets ${ceiling !== null ? pct(ceiling) : '…'}: the ceiling.`;
  }),
  say('student', 'end', (f) => {
    const { gap } = figures(f);
    if (gap === null) return `Trained on the weak labels, where does the student land?${studentEnds(f)}`;
    const verdict = Math.abs(gap) < 0.1 ? 'almost none of the gap' : gap > 0 ? `${pct(gap, 0)} of the gap` : 'less than nothing: it ends below its supervisor';
    return `Trained on the weak labels, the student recovers ${verdict}.${studentEnds(f)}`;
  }),
  say('student', 'end', (f) => {
    const words = beatsAndCopies(f);
    if (!words) return "Beat or copy: does it correct its supervisor's mistakes, or copy them?";
    return `Beat or copy: ${words}.${beatsMore(f) ? '' : ' Size alone did not help; latent knowledge does (compare w2s-mnist).'}`;
  }),
];

export const W2S_COPYING_CAPTIONS: readonly Caption<W2sConfig>[] = [
  say('weak', 'start', (f) => {
    const { weak } = figures(f);
    return `Two moons: the weak supervisor is a straight line (a linear model), so it gets the tips of the moons wrong${weak !== null ? `: ${pct(weak)} on test` : ''}.`;
  }),
  say('ceiling', 'start', (f, c) => {
    const { ceiling } = figures(f);
    return `The strong ceiling, ${modelWords(c.student.model)} trained on the truth, bends around the moons${ceiling !== null ? `: ${pct(ceiling)}` : ''}.`;
  }),
  say('student', 'end', (f) => {
    const { m } = figures(f);
    if (!m) return "The same network is trained on the weak labels. Does it draw the supervisor's straight line, or the moons?";
    const agree = m.agreement;
    return `The same network trained on the weak labels agrees with its supervisor on ${pct(agree)} of test points: ${agree >= 0.95 ? "it draws the supervisor's straight line instead of the moons" : 'it departs from the straight line in places'}.`;
  }),
  say('student', 'end', (f) => {
    const { m } = figures(f);
    return m
      ? `Decision regions side by side. Copy rate: ${pct(m.copyRate)}; beat rate: ${pct(m.beatRate)}.`
      : 'Decision regions side by side: the supervisor, the ceiling and the student.';
  }),
  say(undefined, undefined, (f) => {
    const more = beatsMore(f);
    return more === false || more === null
      ? 'A network trained from scratch has nothing of its own to go on: it can only imitate.'
      : `This time the network found something of its own: ${beatsAndCopies(f)}.`;
  }),
];

function flipsIntro(f: RunFacts<W2sConfig>, c: W2sConfig): string {
  const { weak } = figures(f);
  const rate = c.supervisor.source.type === 'flips' ? c.supervisor.source.rate : null;
  return `No trained supervisor this time: the labels are the truth, with ${pct(rate)} of them flipped to another digit at random.${weak !== null ? ` Its accuracy on test: ${pct(weak)}.` : ''}`;
}

export const W2S_FLIPS_CAPTIONS: readonly Caption<W2sConfig>[] = [
  say('weak', 'start', flipsIntro),
  say('ceiling', 'start', (f, c) => {
    const { ceiling } = figures(f);
    return `The student is ${modelWords(c.student.model)}, as in the default experiment.${ceiling !== null ? ` Trained on the truth (the ceiling) it reaches ${pct(ceiling)}.` : ''}`;
  }),
  say(
    'student',
    'start',
    () => 'Random mistakes point every which way: for each digit, most of its labels still say the right thing, and the student can follow the majority.',
  ),
  say('student', 'end', (f) => {
    const { ceiling, student } = figures(f);
    if (!known(ceiling, student)) return `Where does it end?${studentEnds(f)}`;
    return `It ends ${points(ceiling!, student!)} ${student! <= ceiling! ? 'below' : 'above'} its ceiling.${studentEnds(f)}`;
  }),
  say('student', 'end', (f) => {
    const words = beatsAndCopies(f);
    return `Beat or copy: ${words || 'how many mistakes does it correct, how many does it copy'}. Compare with w2s-systematic: the same error rate, a different kind of error.`;
  }),
];

export const W2S_SYSTEMATIC_CAPTIONS: readonly Caption<W2sConfig>[] = [
  say('weak', 'start', (f, c) => {
    const { weak } = figures(f);
    const classes = c.supervisor.source.type === 'systematic' ? (c.supervisor.source.classes ?? 0) : 0;
    const digits = Array.from({ length: classes }, (_, i) => i);
    return `Again no trained supervisor: the labels are the truth, except that ${classes === 1 ? 'digit 0 is' : `digits ${listOf(digits)} are`} always labelled as the next digit.${weak !== null ? ` Its accuracy on test: ${pct(weak)}.` : ''}`;
  }),
  say('ceiling', 'start', () => 'The same student as in w2s-flips, the same data: only the kind of mistake differs.'),
  say(
    'student',
    'start',
    () =>
      'This time the mistakes are consistent: "a 2 is called 3" is as easy a rule to learn as "a 4 is called 4", and the student has no way to tell them apart.',
  ),
  say('student', 'end', (f) => {
    const { weak, student } = figures(f);
    if (!known(weak, student)) return `Does it learn the rule, mistakes included?${studentEnds(f)}`;
    const where = compare(student!, weak!, {
      above: 'yet ends above its supervisor',
      below: 'and ends below its supervisor',
      level: 'and ends level with its supervisor',
    });
    return `It learns the rule, mistakes included, ${where}.${studentEnds(f)}`;
  }),
  say('student', 'end', (f) => {
    const words = beatsAndCopies(f);
    if (!words) return 'Beat or copy: does it copy the rule?';
    return `Beat or copy: ${words}. ${beatsMore(f) ? 'Here it beat more than it copied.' : 'Random errors are easy to beat; systematic ones get copied.'}`;
  }),
];

/** The checkpoint figures of the student: final, best on validation (and its step), oracle. */
function checkpoints(f: RunFacts<W2sConfig>) {
  const s = f.stages.student;
  if (!s) return null;
  const peak = s.history.reduce((best, p) => (p.testAccuracy > best.testAccuracy ? p : best), s.history[0]);
  return { final: s.accuracy, best: s.bestAccuracy, bestStep: s.bestStep, oracle: s.oracleBestAccuracy, peakStep: peak.step, steps: s.totalSteps };
}

export const W2S_EARLY_STOP_CAPTIONS: readonly Caption<W2sConfig>[] = [
  say('weak', 'start', (f, c) => `${flipsIntro(f, c)} It labels only ${count(c.data.transferSize)} digits this time.`),
  say(
    'student',
    'start',
    (_f, c) =>
      `The student can memorise: ${modelWords(c.student.model)}, trained for ${c.student.train.epochs} epochs at learning rate ${c.student.train.learningRate}.`,
  ),
  say('student', 'end', (f) => {
    const k = checkpoints(f);
    return `Early on it learns what most labels agree on, the true digits${k ? `: test accuracy peaks at ${pct(k.oracle)} at step ${count(k.peakStep)} of ${count(k.steps)}` : ''}.`;
  }),
  say('student', 'end', (f) => {
    const k = checkpoints(f);
    const weak = accuracyOf(f, 'weak');
    if (!k || weak === null) return 'Then it memorises the flipped labels one by one, and test accuracy falls.';
    const falls = k.oracle - k.final > 0.02;
    return `${falls ? 'Then it memorises the flipped labels one by one, and test accuracy falls' : 'It does not fall far here'}: it ends at ${pct(k.final)}, ${versus(k.final, weak)} its supervisor's ${pct(weak)}.`;
  }),
  say('student', 'end', (f, c) => {
    const k = checkpoints(f);
    return `Best checkpoint: chosen on ${count(c.data.validationSize)} validation digits labelled by the same supervisor, never with the truth${k ? `: step ${count(k.bestStep)}, ${pct(k.best)} on test` : ''}.`;
  }),
  say('student', 'end', (f) => {
    const k = checkpoints(f);
    if (!k)
      return 'The checkpoints chart: final, best on the weak-labelled validation split, and the oracle (best on test, grey: no one could choose it in practice).';
    const gain = compare(k.best, k.final, { above: `${points(k.best, k.final)} above final`, below: 'below final', level: 'no better than final' }, 0.02);
    const near = Math.abs(k.oracle - k.best) <= 0.02 ? 'close to the oracle' : `${points(k.oracle, k.best)} short of the oracle`;
    return `The checkpoints chart: final ${pct(k.final)}, best on the weak-labelled validation split ${pct(k.best)}, oracle ${pct(k.oracle)} (grey: no one could choose it in practice). Best is ${gain} and ${near}.`;
  }),
];

/** The line under a weak-to-strong run's lesson plot. */
export function weakToStrongTakeaway(f: RunFacts<W2sConfig>): string | null {
  const { weak, student, gap } = figures(f);
  if (!known(weak, student)) return null;
  if (seriesOf(f, 'checkpoints', 'best').length > 0) {
    const k = checkpoints(f)!;
    return `Stopping where the weak-labelled validation split agreed most kept ${pct(k.best)} (step ${count(k.bestStep)}); training to the end gave ${pct(k.final)}, ${versus(k.final, weak!)} the supervisor.`;
  }
  const words = beatsAndCopies(f);
  return `The student ends ${versus(student!, weak!)} its supervisor (${pct(student)} against ${pct(weak)}${gap !== null ? `, PGR ${fixed(gap)}` : ''})${words ? `: ${words}` : ''}.`;
}
