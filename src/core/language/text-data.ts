/**
 * Examples from text: the character at a position is the label, the `context` characters before it the input row
 * (alphabet indices as numbers, the form every model's input takes). Positions are chosen with the run's RNG.
 */
import { permutation, type Rng } from '../rng';
import type { CorpusRange } from './corpus';

export interface TextExamples {
  /** count x context alphabet indices, row-major. */
  x: Float32Array;
  /** The character at each position. */
  y: Int32Array;
  count: number;
}

/** The examples at `positions` of `codes` (each position at least `context` characters into the text). */
export function examplesAt(codes: Uint8Array, positions: ArrayLike<number>, context: number): TextExamples {
  const count = positions.length;
  const x = new Float32Array(count * context);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const p = positions[i];
    if (p < context || p >= codes.length) throw new Error(`position ${p} has no ${context} characters of context in a text of ${codes.length}`);
    for (let j = 0; j < context; j++) x[i * context + j] = codes[p - context + j];
    y[i] = codes[p];
  }
  return { x, y, count };
}

/** Positions of a range whose whole context lies inside it. */
function usable(range: CorpusRange, context: number): { first: number; count: number } {
  return { first: range.start + context, count: range.end - range.start - context };
}

/** `count` different positions of a range, in the random order they were drawn (split it to get disjoint sets). */
export function drawPositions(range: CorpusRange, count: number, context: number, rng: Rng): Int32Array {
  const { first, count: available } = usable(range, context);
  if (count > available) throw new Error(`the range has ${available} usable positions; ${count} were asked for`);
  return permutation(available, rng)
    .slice(0, count)
    .map((i) => first + i);
}

/** `count` different positions of a range, in ascending order. */
export function samplePositions(range: CorpusRange, count: number, context: number, rng: Rng): Int32Array {
  return drawPositions(range, count, context, rng).sort();
}

/**
 * The range cut into windows of `width` consecutive positions (each with its whole context inside the range), in an
 * order drawn by `rng`: the start of each window.
 */
export function shuffledWindows(range: CorpusRange, width: number, context: number, rng: Rng): Int32Array {
  const { first, count: available } = usable(range, context);
  return permutation(Math.floor(available / width), rng).map((k) => first + k * width);
}

/** The positions of windows of `width` starting at `starts`, window after window. */
export function windowPositions(starts: ArrayLike<number>, width: number): Int32Array {
  const out = new Int32Array(starts.length * width);
  for (let k = 0; k < starts.length; k++) for (let j = 0; j < width; j++) out[k * width + j] = starts[k] + j;
  return out;
}

/** One contiguous passage of `length` positions at a place chosen by `rng`: a limited text budget. */
export function samplePassage(range: CorpusRange, length: number, context: number, rng: Rng): CorpusRange {
  const { first, count: available } = usable(range, context);
  if (length > available) throw new Error(`the range has ${available} usable positions; a passage of ${length} was asked for`);
  const start = first + rng.int(available - length + 1);
  return { start, end: start + length };
}

/** Every position of a range, in order. */
export function positionsOf(range: CorpusRange): Int32Array {
  return Int32Array.from({ length: range.end - range.start }, (_, i) => range.start + i);
}
