import { describe, expect, it } from 'vitest';
import { logAxis, shortNumber } from './log-axis';

describe('the logarithmic x axis', () => {
  it('labels numbers in short units', () => {
    expect([5, 500, 2000, 15000, 1.5e6, 2.5e9].map(shortNumber)).toEqual(['5', '500', '2k', '15k', '1.5M', '2.5G']);
  });

  it('spans the positive values with a margin and puts ticks at 1, 2 and 5 times the powers of ten inside it', () => {
    const axis = logAxis([100, 400, 1600, 0, -3, NaN])!;
    // The data span log10(1600) - 2 = 1.204 decades; the margin is a twentieth of that on each side.
    const margin = 0.05 * (Math.log10(1600) - 2);
    expect(axis.domain[0]).toBeCloseTo(2 - margin, 10);
    expect(axis.domain[1]).toBeCloseTo(Math.log10(1600) + margin, 10);
    expect(axis.ticks.map((t) => t.label)).toEqual(['100', '200', '500', '1k']);
    expect(axis.ticks[1].x).toBeCloseTo(Math.log10(200), 10);
  });

  it('thins the ticks to fit: 1 and 3 times the powers of ten, then the powers alone; nothing to draw without positive values', () => {
    expect(logAxis([3000, 400000])!.ticks.map((t) => t.label)).toEqual(['3k', '10k', '30k', '100k', '300k']);
    expect(logAxis([10, 1e7])!.ticks.map((t) => t.label)).toEqual(['10', '100', '1k', '10k', '100k', '1M', '10M']);
    expect(logAxis([0, -1])).toBeNull();
  });
});
