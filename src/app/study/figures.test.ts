/** The sweep figures' numbers: lines by first-axis value and second-axis series, error bars of one sd, heat cells over the seeds done. */
import { describe, expect, it } from 'vitest';
import { cellRecord, sweepFile } from '../../core/sweep/file';
import { presetConfig } from '../../core/presets';
import { heatCells, meanSd, metricName, perSeedText, sweepLines } from './figures';
import { planStudy } from './plan';
import { fakeResult } from './test-support';

const base = presetConfig('w2s-copying');
const plan = planStudy(base, '1,2', [
  { path: 'student.model.width', values: '10,20' },
  { path: 'weakLabels.kind', values: 'soft,hard' },
]);

/** The sweep with every cell done except those `skip` names. */
function fileWith(skip: (index: number) => boolean = () => false) {
  const records = plan.cells.map((cell) => (skip(cell.index) ? cellRecord(cell, null) : cellRecord(cell, { result: fakeResult(cell.config!) })));
  return sweepFile(plan, null, 'cpu', records);
}

describe('sweep figures', () => {
  it('draws one row per first-axis value and one series per second-axis value, mean and sample sd over seeds', () => {
    const lines = sweepLines(fileWith(), ['student', 'pgr']);
    expect(lines.xPath).toBe('student.model.width');
    expect(lines.seriesPath).toBe('weakLabels.kind');
    expect(lines.series.map((s) => s.name)).toEqual(['soft', 'hard']);
    expect(lines.rows.map((r) => r.x)).toEqual(['10', '20']);
    // fakeResult: student = 0.7 + width/1000 + seed/100; seeds 1 and 2 give 0.72 and 0.73 at width 10.
    expect(lines.rows[0]['s0:student']).toBeCloseTo(0.725, 10);
    expect(lines.rows[0]['s0:student:sd']).toBeCloseTo(Math.sqrt(2 * 0.005 ** 2), 10);
    expect(lines.rows[1]['s1:student']).toBeCloseTo(0.735, 10);
    expect(lines.rows[0]['s0:pgr']).toBeCloseTo(0.125, 10);
  });

  it('names the metric in every heat cell and reads a point with a seed missing over the seeds it has', () => {
    // Cell 1 is width 10, soft, seed 2: not run.
    const file = fileWith((index) => index === 1);
    const { rows, columns, cells } = heatCells(file, 'pgr');
    expect(rows).toEqual(['10', '20']);
    expect(columns).toEqual(['soft', 'hard']);
    const partial = cells.find((c) => c.row === '10' && c.column === 'soft')!;
    expect(partial.done).toBe(1);
    expect(partial.seeds).toEqual([1]);
    expect(perSeedText(partial.seeds, partial.spread!, (x) => x.toFixed(3))).toBe('seed 1: 0.100');
    expect(`${metricName(file, 'pgr')} ${meanSd(partial.spread, 'ratio')}`).toBe('PGR 0.100');
    const full = cells.find((c) => c.row === '20' && c.column === 'hard')!;
    expect(meanSd(full.spread, 'ratio')).toBe('0.175 ± 0.035');
    expect(meanSd(heatCells(file, 'student').cells[3].spread, 'percent')).toBe('73.50% ± 0.71');
  });
});
