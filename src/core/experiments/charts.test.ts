import { describe, expect, it } from 'vitest';
import { applyChartEvent, ChartRecorder, type ChartEvent, type ChartInfo } from './charts';

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

describe('charts', () => {
  it('records declared charts, streams each event, and keeps points in order per series', () => {
    const events: ChartEvent[] = [];
    const recorder = new ChartRecorder((e) => events.push(e));
    recorder.declare(sweep);
    recorder.add('temperature-sweep', 'kd', { x: 1, y: 0.9 });
    recorder.add('temperature-sweep', 'kd', { x: 4, y: 0.93 });
    recorder.add('temperature-sweep', 'teacher', { x: 1, y: 0.95 });
    expect(events.map((e) => e.type)).toEqual(['chart', 'chart-point', 'chart-point', 'chart-point']);
    expect(recorder.charts).toHaveLength(1);
    expect(recorder.charts[0].points.kd).toEqual([
      { x: 1, y: 0.9 },
      { x: 4, y: 0.93 },
    ]);
    expect(recorder.charts[0].points.teacher).toEqual([{ x: 1, y: 0.95 }]);
    // The page rebuilds the same data from the events alone.
    expect(events.reduce(applyChartEvent, [])).toEqual(recorder.charts);
  });

  it('refuses points for a chart that was never declared', () => {
    expect(() => new ChartRecorder().add('nope', 'kd', { x: 0, y: 0 })).toThrow(/"nope" was not declared/);
  });

  it('declaring a chart again starts it afresh; applying leaves the old list untouched', () => {
    const first = applyChartEvent([], { type: 'chart', info: sweep });
    const withPoint = applyChartEvent(first, { type: 'chart-point', chart: sweep.id, series: 'kd', point: { x: 2, y: 0.5 } });
    expect(first[0].points.kd).toEqual([]);
    expect(applyChartEvent(withPoint, { type: 'chart', info: sweep })[0].points.kd).toEqual([]);
  });
});
