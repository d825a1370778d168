/**
 * Decision regions drawn smooth from a coarse grid of predicted classes: each class's indicator is blurred a
 * little over the grid (a 3 x 3 tent), interpolated bilinearly to every pixel, and the pixel takes the class
 * whose value is largest. A 48 x 48 grid then draws as curved boundaries instead of the grid's staircase.
 * Pure: unit-tested without a canvas.
 */

/** Each class's indicator over the grid, blurred with the tent [1/4, 1/2, 1/4] along rows and then columns (edges clamped). */
function blurredIndicators(grid: ArrayLike<number>, resolution: number, classes: number): Float32Array[] {
  const n = resolution;
  const clamp = (k: number) => Math.max(0, Math.min(n - 1, k));
  return Array.from({ length: classes }, (_, c) => {
    const field = new Float32Array(n * n);
    for (let k = 0; k < n * n; k++) field[k] = grid[k] === c ? 1 : 0;
    const rows = new Float32Array(n * n);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) rows[j * n + i] = 0.25 * field[j * n + clamp(i - 1)] + 0.5 * field[j * n + i] + 0.25 * field[j * n + clamp(i + 1)];
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) field[j * n + i] = 0.25 * rows[clamp(j - 1) * n + i] + 0.5 * rows[j * n + i] + 0.25 * rows[clamp(j + 1) * n + i];
    return field;
  });
}

/**
 * The class of each pixel of a `size` x `size` image of a `resolution` x `resolution` grid (point (i, j) at the
 * centre of cell i, j; row j grows upwards). The image's row 0 is its top, as a canvas draws it.
 */
export function smoothRegions(grid: ArrayLike<number>, resolution: number, size: number): Uint8Array {
  let classes = 0;
  for (let k = 0; k < grid.length; k++) classes = Math.max(classes, grid[k] + 1);
  const fields = blurredIndicators(grid, resolution, classes);
  const out = new Uint8Array(size * size);
  const last = resolution - 1;
  for (let py = 0; py < size; py++) {
    const v = (1 - (py + 0.5) / size) * resolution - 0.5;
    const j0 = Math.max(0, Math.min(last, Math.floor(v)));
    const j1 = Math.min(last, j0 + 1);
    const fv = Math.max(0, Math.min(1, v - j0));
    for (let px = 0; px < size; px++) {
      const u = ((px + 0.5) / size) * resolution - 0.5;
      const i0 = Math.max(0, Math.min(last, Math.floor(u)));
      const i1 = Math.min(last, i0 + 1);
      const fu = Math.max(0, Math.min(1, u - i0));
      const [a, b, c, d] = [j0 * resolution + i0, j0 * resolution + i1, j1 * resolution + i0, j1 * resolution + i1];
      const [wa, wb, wc, wd] = [(1 - fu) * (1 - fv), fu * (1 - fv), (1 - fu) * fv, fu * fv];
      let best = 0;
      let bestValue = -1;
      for (let k = 0; k < classes; k++) {
        const f = fields[k];
        const value = wa * f[a] + wb * f[b] + wc * f[c] + wd * f[d];
        if (value > bestValue) [best, bestValue] = [k, value];
      }
      out[py * size + px] = best;
    }
  }
  return out;
}

/** Pixels on a boundary between two regions (a neighbour to the right or below has another class). */
export function boundaryPixels(classes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const c = classes[y * size + x];
      if ((x + 1 < size && classes[y * size + x + 1] !== c) || (y + 1 < size && classes[(y + 1) * size + x] !== c)) out[y * size + x] = 1;
    }
  return out;
}

/** Colours per class: a deep one for the points and a pale one for the regions (the same hue). */
export const CLASS_COLORS = ['#2563eb', '#c2410c', '#047857', '#be185d', '#6d28d9', '#0e7490', '#4d7c0f', '#a16207'];

export function classColor(c: number): string {
  return CLASS_COLORS[c % CLASS_COLORS.length];
}

/** A class's pale region colour as RGB: its colour mixed with `white` parts of white. */
export function regionRgb(c: number, white = 0.78): [number, number, number] {
  const hex = classColor(c);
  return [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - white) + 255 * white)) as [number, number, number];
}
