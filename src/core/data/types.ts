/** In-memory datasets: features already scaled to what the models take (images in [0, 1], tabular standardised). */

export interface LabelledSet {
  /** Row-major features, `count * featureSize` values. */
  x: Float32Array;
  /** Class index per row. */
  y: Int32Array;
  count: number;
}

export interface Dataset {
  id: string;
  name: string;
  kind: 'image' | 'tabular' | 'toy' | 'text';
  /** Per example, e.g. [28, 28, 1] or [2]. */
  featureShape: number[];
  classNames: string[];
  train: LabelledSet;
  /** Official test split, when the source has one. */
  test: LabelledSet | null;
}

export function featureSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Rows `indices` of a set, copied. */
export function takeRows(set: LabelledSet, indices: ArrayLike<number>, size: number): LabelledSet {
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    x.set(set.x.subarray(row * size, (row + 1) * size), i * size);
    y[i] = set.y[row];
  }
  return { x, y, count: indices.length };
}
