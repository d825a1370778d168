/** Mean and spread over seeds (shared/METHODS.md section 5): the mean, the sample standard deviation (n - 1) and n. */

/** One figure over several seeds. */
export interface Spread {
  /** Seeds with a value. */
  n: number;
  /** null when no seed has a value. */
  mean: number | null;
  /** Sample standard deviation, sqrt(sum (x - mean)^2 / (n - 1)); null below two values. */
  sd: number | null;
  /** Per seed, in the order of the summary's seeds; null where the seed has no value. */
  values: (number | null)[];
}

/** A finite number, or null for anything else (undefined figures, NaN, a damaged file's strings). */
export function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function spread(values: readonly unknown[]): Spread {
  const kept = values.map(finite);
  const present = kept.filter((v): v is number => v !== null);
  const n = present.length;
  if (n === 0) return { n, mean: null, sd: null, values: kept };
  const mean = present.reduce((sum, v) => sum + v, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(present.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, values: kept };
}
