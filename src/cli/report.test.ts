import { describe, expect, it } from 'vitest';
import { ChartRecorder, type ChartInfo } from '../core/experiments/charts';
import { formatChart } from './report';

const sweep: ChartInfo = {
  id: 'temperature-sweep',
  title: 'Accuracy against temperature',
  kind: 'line',
  xLabel: 'T',
  yLabel: 'test accuracy',
  percent: true,
  series: [
    { key: 'kd', label: 'forward KL' },
    { key: 'teacher', label: 'teacher', dashed: true },
  ],
};

describe('the command line report', () => {
  it('prints a chart as a table for the command line', () => {
    const recorder = new ChartRecorder();
    recorder.declare(sweep);
    recorder.add(sweep.id, 'kd', { x: 1, y: 0.9 });
    recorder.add(sweep.id, 'kd', { x: 4, y: 0.925 });
    recorder.add(sweep.id, 'teacher', { x: 1, y: 0.95 });
    const text = formatChart(recorder.charts[0]).split('\n');
    expect(text[0]).toBe('Accuracy against temperature (test accuracy)');
    expect(text[1]).toMatch(/^T\s+forward KL\s+teacher$/);
    expect(text[2]).toMatch(/^1\s+90\.0%\s+95\.0%$/);
    expect(text[3]).toMatch(/^4\s+92\.5%\s*$/);
  });

  it('prints a fractional x (a reliability bin at its mean confidence) to four significant digits', () => {
    const recorder = new ChartRecorder();
    recorder.declare({ ...sweep, id: 'reliability', xLabel: 'confidence' });
    recorder.add('reliability', 'kd', { x: 0.75194675418, y: 0.82 });
    recorder.add('reliability', 'kd', { x: 2, y: 0.5 });
    const text = formatChart(recorder.charts[0]).split('\n');
    expect(text[2]).toMatch(/^0\.7519\s+82\.0%\s*$/);
    expect(text[3]).toMatch(/^2\s+50\.0%\s*$/);
  });
});
