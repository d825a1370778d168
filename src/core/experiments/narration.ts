/**
 * Captions bound to the run on screen. A preset's captions are plain text or templates over what the run has
 * measured so far: every number a caption states comes from the run being shown, and a claim ("beats its
 * supervisor") is made only when the numbers bear it out. No tfjs, no DOM: the page and the tests read it.
 */
import type { ModelSpec } from '../config/blocks';
import { mistakeBreakdown, performanceGapRecovered, type MistakeBreakdown } from '../metrics';
import type { ChartData, ChartPoint } from './charts';
import type { ResultFigures, StageResult } from './figures';

/**
 * What a caption may quote: the run's config (of the preset's own kind), the stages finished so far, and the
 * whole result once it is done.
 */
export interface RunFacts<Config = unknown> {
  config: Config;
  /** Finished stages by name. */
  stages: Readonly<Record<string, StageResult>>;
  /** The finished run (gap ratios, beat/copy breakdowns, students, charts); null while it trains. */
  result: ResultFigures | null;
  /** The run's own plots as measured so far (see charts.ts). */
  charts: readonly ChartData[];
  /** The true class of every test example; null before the run's data has arrived. */
  testLabels: Int32Array | null;
  /** Each started stage's model, as its card names it ("MLP 784-32-10 (relu)"). */
  models: Readonly<Record<string, string>>;
}

/** Facts before anything is measured: a caption then says what is known from the config alone. */
export function factsOfConfig<Config>(config: Config): RunFacts<Config> {
  return { config, stages: {}, result: null, charts: [], testLabels: null, models: {} };
}

/** When a caption comes up as captions follow the run: as a stage starts or as it ends. */
export type CaptionMoment = 'start' | 'end';

export interface TemplateCaption<Config = unknown> {
  /** When captions follow the run, this caption comes up as this stage starts (or ends, with `at: 'end'`); else it waits for a click. */
  stage?: string;
  /** The stage, where its name depends on the config (a sweep's first stage). */
  stageOf?(config: Config): string | undefined;
  at?: CaptionMoment;
  /** The caption's text for the facts so far; say what is known, never a number that is not yet measured. */
  text(facts: RunFacts<Config>): string;
}

/** A fixed sentence, or a template over the run's numbers. */
export type Caption<Config = unknown> = string | TemplateCaption<Config>;

/** A caption's text for these facts. */
export function captionText<Config>(caption: Caption<Config>, facts: RunFacts<Config>): string {
  return typeof caption === 'string' ? caption : caption.text(facts);
}

/** The run event a caption belongs to (its stage, and whether it waits for the stage's start or end), if any. */
export function captionCue<Config>(caption: Caption<Config>, config: Config): { stage: string; at: CaptionMoment } | undefined {
  if (typeof caption === 'string') return undefined;
  const stage = caption.stage ?? caption.stageOf?.(config);
  return stage === undefined ? undefined : { stage, at: caption.at ?? 'start' };
}

/** A share as a percentage with one decimal ("69.6%"); "…" while it is unknown. */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '…' : `${(100 * value).toFixed(digits)}%`;
}

/** A number with fixed decimals ("0.38"); "…" while it is unknown. */
export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '…' : value.toFixed(digits);
}

/** A count with thousands separators ("5,000"). */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A difference in percentage points ("5.2 points"). */
export function points(a: number, b: number, digits = 1): string {
  const d = Math.abs(100 * (a - b));
  return `${d.toFixed(digits)} point${d.toFixed(digits) === '1.0' ? '' : 's'}`;
}

/**
 * Words for how `a` compares with `b`, so a caption never claims what the numbers deny: `above` when a is
 * higher by more than `tolerance`, `below` when lower by more, `level` otherwise.
 */
export function compare(a: number, b: number, words: { above: string; below: string; level: string }, tolerance = 0.005): string {
  if (a - b > tolerance) return words.above;
  if (b - a > tolerance) return words.below;
  return words.level;
}

/** "8.2 points above" / "3.1 points below" / "level with": a and b as accuracies. */
export function versus(a: number, b: number): string {
  return compare(a, b, { above: `${points(a, b)} above`, below: `${points(a, b)} below`, level: 'level with' });
}

/** True when every value is a finite number. */
export function known(...values: (number | null | undefined)[]): boolean {
  return values.every((v) => v !== null && v !== undefined && Number.isFinite(v));
}

/** A finished stage's final test accuracy; null until it has finished. */
export function accuracyOf(facts: RunFacts<unknown>, stage: string): number | null {
  return facts.stages[stage]?.accuracy ?? null;
}

/** The gap ratio (student - lower) / (upper - lower) from finished stages; null while one is missing or when it is undefined. */
export function gapOf(facts: RunFacts<unknown>, roles: { lower: string; upper: string; student: string }): number | null {
  const [lower, upper, student] = [accuracyOf(facts, roles.lower), accuracyOf(facts, roles.upper), accuracyOf(facts, roles.student)];
  if (lower === null || upper === null || student === null) return null;
  return performanceGapRecovered(lower, upper, student).value;
}

/** Beats and copies of a finished student against a finished supervisor on test; null until both have finished. */
export function mistakesOf(facts: RunFacts<unknown>, supervisor: string, student: string): MistakeBreakdown | null {
  const a = facts.stages[supervisor];
  const b = facts.stages[student];
  if (!a || !b || !facts.testLabels) return null;
  return mistakeBreakdown(facts.testLabels, a.testPredictions, b.testPredictions);
}

/** A chart's points of one series as measured so far (empty while it has none). */
export function seriesOf(facts: RunFacts<unknown>, chart: string, series: string): readonly ChartPoint[] {
  return facts.charts.find((c) => c.info.id === chart)?.points[series] ?? [];
}

/** The point with the lowest (or highest) y; null for no points. */
export function extremeOf(values: readonly ChartPoint[], which: 'min' | 'max'): ChartPoint | null {
  let best: ChartPoint | null = null;
  for (const p of values) if (Number.isFinite(p.y) && (!best || (which === 'min' ? p.y < best.y : p.y > best.y))) best = p;
  return best;
}

/** "0, 1 and 2": a list in words. */
export function listOf(items: readonly (string | number)[]): string {
  const words = items.map(String);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** A model in words, from its config ("a linear model", "a network with 2 hidden layers of 64 units"). */
export function modelWords(spec: ModelSpec): string {
  switch (spec.type) {
    case 'linear':
      return 'a linear model';
    case 'mlp':
      return `a network with ${spec.depth === 1 ? 'one hidden layer' : `${spec.depth} hidden layers`} of ${spec.width} units`;
    case 'cnn':
      return 'a small convolutional network';
    case 'pretrained':
      return `the ${spec.encoder === 'supervised' ? 'label-pretrained' : 'autoencoder'} encoder with ${spec.head === 'mlp' ? `a ${spec.headWidth}-unit MLP probe` : 'a linear probe'}${spec.mode === 'finetune' ? ', fine-tuned' : ''}`;
  }
}

/** The first point of one series of one of the run's charts that `pick` accepts; null until it is measured. */
export function chartPoint(facts: RunFacts<unknown>, chart: string, series: string, pick: (point: ChartPoint) => boolean = () => true): ChartPoint | null {
  return seriesOf(facts, chart, series).find(pick) ?? null;
}
