/**
 * Captions bound to the run on screen. A preset's captions are plain text or templates over what the run has
 * measured so far: every number a caption states comes from the run being shown, and a claim ("beats its
 * supervisor") is made only when the numbers bear it out. No tfjs, no DOM: the page and the tests read it.
 */
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
}

export interface TemplateCaption<Config = unknown> {
  /** When captions follow the run, this caption comes up as this stage starts (else it waits for a click). */
  stage?: string;
  /** The caption's text for the facts so far; say what is known, never a number that is not yet measured. */
  text(facts: RunFacts<Config>): string;
}

/** A fixed sentence, or a template over the run's numbers. */
export type Caption<Config = unknown> = string | TemplateCaption<Config>;

/** A caption's text for these facts. */
export function captionText<Config>(caption: Caption<Config>, facts: RunFacts<Config>): string {
  return typeof caption === 'string' ? caption : caption.text(facts);
}

/** The stage a caption belongs to, if it names one. */
export function captionStage(caption: Caption<never>): string | undefined {
  return typeof caption === 'string' ? undefined : caption.stage;
}

/** A share as a percentage with one decimal ("69.6%"); "…" while it is unknown. */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '…' : `${(100 * value).toFixed(digits)}%`;
}

/** A number with fixed decimals ("0.38"); "…" while it is unknown. */
export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '…' : value.toFixed(digits);
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
