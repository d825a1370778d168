import { describe, expect, it } from 'vitest';
import { boundaryPixels, regionRgb, smoothRegions } from './regions';

/** A grid of classes from a rule over cell centres in [0, 1]^2 (row j grows upwards). */
function gridOf(resolution: number, rule: (x: number, y: number) => number): Int32Array {
  const grid = new Int32Array(resolution * resolution);
  for (let j = 0; j < resolution; j++) for (let i = 0; i < resolution; i++) grid[j * resolution + i] = rule((i + 0.5) / resolution, (j + 0.5) / resolution);
  return grid;
}

describe('smooth decision regions', () => {
  it('keeps a grid of one class one class, and puts a vertical boundary where the grid has it', () => {
    expect(new Set(smoothRegions(new Int32Array(16).fill(3), 4, 20))).toEqual(new Set([3]));
    const image = smoothRegions(
      gridOf(8, (x) => (x < 0.5 ? 0 : 1)),
      8,
      64,
    );
    for (let y = 0; y < 64; y++) {
      expect(image[y * 64 + 31]).toBe(0);
      expect(image[y * 64 + 32]).toBe(1);
    }
  });

  it("draws the grid's top row at the image's top (the grid's rows grow upwards)", () => {
    const image = smoothRegions(
      gridOf(8, (_x, y) => (y > 0.5 ? 2 : 0)),
      8,
      16,
    );
    expect(image[0]).toBe(2);
    expect(image[15 * 16]).toBe(0);
  });

  it('draws a diagonal boundary smoothly: no step of the coarse grid survives', () => {
    const resolution = 8;
    const size = 128;
    const grid = gridOf(resolution, (x, y) => (y > x ? 1 : 0));
    // Where the boundary crosses each row of the image's middle (away from the clamped edges).
    const jumps = (image: Uint8Array) => {
      const crossing = Array.from({ length: size / 2 }, (_, k) => {
        const y = size / 4 + k;
        return image.subarray(y * size, (y + 1) * size).findIndex((c) => c === 0);
      });
      return Math.max(...crossing.slice(1).map((x, k) => Math.abs(x - crossing[k])));
    };
    expect(jumps(smoothRegions(grid, resolution, size))).toBeLessThanOrEqual(2);
    // Drawn cell by cell, the same grid steps a whole cell (16 px) at once.
    const blocky = new Uint8Array(size * size);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        blocky[y * size + x] = grid[(resolution - 1 - Math.floor((y * resolution) / size)) * resolution + Math.floor((x * resolution) / size)];
    expect(jumps(blocky)).toBe(size / resolution);
  });

  it('marks the pixels on a boundary, and only those', () => {
    const classes = new Uint8Array([0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect([...boundaryPixels(classes, 3)]).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0]);
  });

  it('gives pale region colours of the class hue', () => {
    const [r, g, b] = regionRgb(0);
    expect(Math.min(r, g, b)).toBeGreaterThan(150);
    expect(b).toBeGreaterThan(r);
  });
});
