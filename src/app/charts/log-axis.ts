/**
 * A logarithmic x axis for the canvas charts: points are drawn at log10(x), with ticks at 1, 2 and 5 times each
 * power of ten inside the range (1 and 3 times, or the powers alone, when those are too many for a small chart),
 * labelled in the data's own units (1k, 20k, 5M).
 */

/** A number as a short label: 500, 2k, 1.5M. */
export function shortNumber(value: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${suffix}`;
  return String(Number(value.toPrecision(3)));
}

const MAX_TICKS = 5;

/** The range in log10 units around positive x values (a twentieth of a decade's margin), and its ticks. */
export function logAxis(xs: number[]): { domain: [number, number]; ticks: { x: number; label: string }[] } | null {
  const positive = xs.filter((x) => Number.isFinite(x) && x > 0);
  if (positive.length === 0) return null;
  let lo = Math.log10(Math.min(...positive));
  let hi = Math.log10(Math.max(...positive));
  const margin = Math.max(0.05 * (hi - lo), 0.05);
  lo -= margin;
  hi += margin;
  const ticksAt = (steps: number[]) => {
    const ticks: { x: number; label: string }[] = [];
    for (let decade = Math.floor(lo); decade <= Math.ceil(hi); decade++) {
      for (const step of steps) {
        const value = step * 10 ** decade;
        const at = Math.log10(value);
        if (at >= lo && at <= hi) ticks.push({ x: at, label: shortNumber(value) });
      }
    }
    return ticks;
  };
  // As many as fit a small chart's width: 1, 2 and 5 times the powers of ten, else 1 and 3 times, else the powers.
  const shown = [[1, 2, 5], [1, 3], [1]].map(ticksAt).find((ticks) => ticks.length <= MAX_TICKS) ?? ticksAt([1]);
  return { domain: [lo, hi], ticks: shown };
}
