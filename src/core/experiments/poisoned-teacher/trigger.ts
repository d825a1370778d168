/**
 * The backdoor trigger of the poisoned-teacher experiment: a small square of full-intensity pixels in an image's
 * bottom-right corner, one pixel in from the edge (where handwritten digits almost never reach). Pure functions on
 * flat row-major image rows; no tfjs.
 */
import { permutation, type Rng } from '../../rng';

export interface Trigger {
  /** Side of the square, in pixels. */
  size: number;
  /** Image height and width (a single channel). */
  height: number;
  width: number;
}

/** Flat indices, within one image row, of the trigger's pixels. */
export function triggerPixels({ size, height, width }: Trigger): number[] {
  if (size > height - 1 || size > width - 1) throw new Error(`a ${size}-pixel trigger does not fit a ${height}x${width} image`);
  const pixels: number[] = [];
  for (let r = height - 1 - size; r < height - 1; r++) for (let c = width - 1 - size; c < width - 1; c++) pixels.push(r * width + c);
  return pixels;
}

/** A copy of `x` (rows of height x width pixels in [0, 1]) with the trigger set to 1 on each of `rows`. */
export function withTrigger(x: Float32Array, rows: Iterable<number>, trigger: Trigger): Float32Array {
  const out = Float32Array.from(x);
  const rowSize = trigger.height * trigger.width;
  const pixels = triggerPixels(trigger);
  for (const row of rows) for (const p of pixels) out[row * rowSize + p] = 1;
  return out;
}

/** `count` distinct rows, drawn with `rng`, whose label is not `target` (in the order drawn). */
export function rowsNotOfClass(labels: Int32Array, target: number, count: number, rng: Rng): Int32Array {
  const chosen: number[] = [];
  for (const row of permutation(labels.length, rng)) {
    if (chosen.length === count) break;
    if (labels[row] !== target) chosen.push(row);
  }
  if (chosen.length < count) throw new Error(`only ${chosen.length} examples are not of class ${target}; ${count} were asked for`);
  return Int32Array.from(chosen);
}

/**
 * Attack success rate: of the triggered examples whose true class is not the target, the share classified as the
 * target. `predictions` and `labels` are for the triggered copies of those examples.
 */
export function attackSuccessRate(predictions: ArrayLike<number>, labels: ArrayLike<number>, target: number): number {
  let eligible = 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === target) continue;
    eligible++;
    if (predictions[i] === target) hits++;
  }
  return eligible > 0 ? hits / eligible : NaN;
}
