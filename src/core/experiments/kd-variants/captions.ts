/** Captions of the distillation-variants preset and the kind's takeaway, bound to the run's numbers (see narration.ts). */
import { BASELINE_CAPTION, gapClosed, TEACHER_CAPTION } from '../distillation/captions';
import {
  accuracyOf,
  compare,
  count,
  extremeOf,
  fixed,
  gapOf,
  known,
  listOf,
  pct,
  points,
  seriesOf,
  versus,
  type Caption,
  type CaptionMoment,
  type RunFacts,
} from '../narration';
import type { DistillationFamily } from '../distillation/captions';
import { sweepStageName, sweepTemperatures } from './sweep';

/** What these captions read of a distillation-variants config (written out here: the spec imports the captions). */
interface KdVariantsConfig extends DistillationFamily {
  temperature: number;
  temperatureSweep: number[];
  taid: { tStart: number };
}

function say(
  stage: string | ((c: KdVariantsConfig) => string | undefined) | undefined,
  at: CaptionMoment | undefined,
  text: (f: RunFacts<KdVariantsConfig>, c: KdVariantsConfig) => string,
): Caption<KdVariantsConfig> {
  return typeof stage === 'function' ? { stageOf: stage, at, text: (f) => text(f, f.config) } : { stage, at, text: (f) => text(f, f.config) };
}

const VARIANT_NAMES: Record<string, string> = { kd: 'forward KL', 'reverse-kl': 'reverse KL', taid: 'TAID' };

/** The sweep's stages of their own (the variants' temperature reuses forward KL's run). */
const sweepStages = (c: KdVariantsConfig) =>
  sweepTemperatures(c)
    .filter((t) => t !== c.temperature)
    .map(sweepStageName);
const firstSweepStage = (c: KdVariantsConfig) => sweepStages(c)[0];
/** The last stage the run trains: the run's end. */
const lastStage = (c: KdVariantsConfig) => sweepStages(c).at(-1) ?? 'taid';

export const KD_VARIANTS_CAPTIONS: readonly Caption<KdVariantsConfig>[] = [
  TEACHER_CAPTION,
  BASELINE_CAPTION,
  say('kd', 'start', (f, c) => {
    const kd = accuracyOf(f, 'kd');
    return `Forward KL (Hinton KD, T = ${c.temperature}): the same student, same initial weights, learns the teacher's softened predictions on all ${count(c.data.trainSize)} images${kd !== null ? `. It reaches ${pct(kd)}${gapClosed(f, 'kd')}` : ''}.`;
  }),
  say('reverse-kl', 'start', (f) => {
    const [kd, reverse] = [accuracyOf(f, 'kd'), accuracyOf(f, 'reverse-kl')];
    const outcome = known(kd, reverse) ? ` It reaches ${pct(reverse)}, ${versus(reverse!, kd!)} forward KL.` : '';
    return `Reverse KL(student || teacher) seeks the teacher's main mode instead of covering all of its mass.${outcome}`;
  }),
  say('taid', 'start', (f, c) => {
    const t = seriesOf(f, 'taid-t', 't');
    const floor = seriesOf(f, 'taid-t', 'floor');
    const ahead = t.some((p, i) => floor[i] && p.y > floor[i].y + 0.01);
    const last = t.at(-1);
    const path = last
      ? ` Its t chart: t starts at ${c.taid.tStart}, ${ahead ? 'runs ahead of its linear floor while the loss falls' : 'stays on its linear floor'}, and is at ${fixed(last.y)} by step ${count(last.x)}.`
      : '';
    return `TAID: the target starts as a mix of the student's own predictions and the teacher's, and moves towards the teacher as training goes.${path}`;
  }),
  say(firstSweepStage, 'start', (f, c) => {
    const temperatures = sweepTemperatures(c);
    const accuracies = seriesOf(f, 'temperature-sweep', 'student');
    const intro = `The temperature sweep: the forward-KL student distilled again at T = ${listOf(temperatures)}, against the student alone and the teacher (dashed).`;
    if (accuracies.length < temperatures.length || accuracies.length < 2) return intro;
    const [low, high] = [extremeOf(accuracies, 'min')!, extremeOf(accuracies, 'max')!];
    const spread = high.y - low.y;
    return `${intro} Accuracies from ${pct(low.y)} (T = ${low.x}) to ${pct(high.y)} (T = ${high.x}): ${spread < 0.015 ? 'at this scale the temperature hardly matters' : `a spread of ${points(high.y, low.y)}`}.`;
  }),
  say(lastStage, 'end', (f) => {
    const alone = accuracyOf(f, 'baseline');
    const names = Object.keys(VARIANT_NAMES);
    const gaps = names.map((v) => gapOf(f, { lower: 'baseline', upper: 'teacher', student: v }));
    if (alone === null || !known(...gaps) || !names.every((v) => accuracyOf(f, v) !== null))
      return "The bars: each variant's accuracy and the share of the gap to the teacher it closes.";
    const [kd, reverse, taid] = gaps as number[];
    const allAbove = names.every((v) => accuracyOf(f, v)! > alone + 0.01);
    const word = (g: number) => compare(g, kd, { above: 'more than forward KL', below: 'less than forward KL', level: 'as much as forward KL' }, 0.01);
    return `The bars: every variant ${allAbove ? 'lands above the student alone and ' : ''}closes ${pct(Math.min(...(gaps as number[])), 0)}-${pct(Math.max(...(gaps as number[])), 0)} of the gap to the teacher (forward KL ${fixed(kd)}, reverse KL ${fixed(reverse)}, TAID ${fixed(taid)}): TAID ${word(taid)}, reverse KL ${word(reverse)}.`;
  }),
];

/** The line under a distillation-variants run's lesson plot. */
export function kdVariantsTakeaway(f: RunFacts<KdVariantsConfig>): string | null {
  const alone = accuracyOf(f, 'baseline');
  const scored = Object.entries(VARIANT_NAMES)
    .map(([stage, name]) => ({ name, accuracy: accuracyOf(f, stage), gap: gapOf(f, { lower: 'baseline', upper: 'teacher', student: stage }) }))
    .filter((v) => v.accuracy !== null);
  if (alone === null || scored.length === 0) return null;
  const best = scored.reduce((a, b) => (b.accuracy! > a.accuracy! ? b : a));
  const worst = scored.reduce((a, b) => (b.accuracy! < a.accuracy! ? b : a));
  const lowest = scored.length > 1 ? `; lowest: ${worst.name} at ${pct(worst.accuracy)}` : '';
  return `Best: ${best.name} at ${pct(best.accuracy)}${best.gap !== null ? ` (gap closed ${fixed(best.gap)})` : ''}, ${versus(best.accuracy!, alone)} the student alone${lowest}.`;
}
