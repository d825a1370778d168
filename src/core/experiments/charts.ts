/**
 * The characteristic plots of an experiment beyond its training curves (a chain's accuracy per link, TAID's t,
 * accuracy against temperature, probe accuracy over training, proxy and golden distances...). An experiment
 * declares a chart, then streams points into it; the page draws every declared chart in one panel and the CLI
 * and results.json carry the same data. No tfjs here: the page imports it.
 */

export interface ChartSeriesInfo {
  key: string;
  label: string;
  /** CSS colour; the page picks one when absent. */
  color?: string;
  /** Drawn dashed: a reference line (a teacher's constant probe accuracy, an oracle). */
  dashed?: boolean;
}

export interface ChartInfo {
  id: string;
  title: string;
  /** line: numeric x; bar: one group per distinct `label`, one bar per series. */
  kind: 'line' | 'bar';
  xLabel: string;
  yLabel: string;
  series: ChartSeriesInfo[];
  /** Fixed y range (accuracies: [0, 1]); automatic when absent. */
  yDomain?: [number, number];
  /** y values are shares shown as percentages. */
  percent?: boolean;
  /** One sentence on how to read it. */
  note?: string;
  /**
   * The run's lesson plot: the page draws it first and largest, with the kind's takeaway under it. Without one,
   * the first chart declared is the lesson plot.
   */
  lesson?: boolean;
}

export interface ChartPoint {
  x: number;
  y: number;
  /** Category name of a bar chart's group. */
  label?: string;
}

export interface ChartData {
  info: ChartInfo;
  points: Record<string, ChartPoint[]>;
}

export type ChartEvent = { type: 'chart'; info: ChartInfo } | { type: 'chart-point'; chart: string; series: string; point: ChartPoint };

/** Applies chart events to a list of charts, immutably (the page's reducer and the recorder share it). */
export function applyChartEvent(charts: ChartData[], event: ChartEvent): ChartData[] {
  if (event.type === 'chart') {
    const fresh: ChartData = { info: event.info, points: Object.fromEntries(event.info.series.map((s) => [s.key, []])) };
    return [...charts.filter((c) => c.info.id !== event.info.id), fresh];
  }
  return charts.map((chart) =>
    chart.info.id === event.chart ? { ...chart, points: { ...chart.points, [event.series]: [...(chart.points[event.series] ?? []), event.point] } } : chart,
  );
}

/** Declares charts and adds points, emitting each as an event and keeping the data for the result. */
export class ChartRecorder {
  private data: ChartData[] = [];

  constructor(private readonly emit?: (event: ChartEvent) => void) {}

  declare(info: ChartInfo): void {
    this.record({ type: 'chart', info });
  }

  add(chart: string, series: string, point: ChartPoint): void {
    if (!this.data.some((c) => c.info.id === chart)) throw new Error(`chart "${chart}" was not declared`);
    this.record({ type: 'chart-point', chart, series, point });
  }

  get charts(): ChartData[] {
    return this.data;
  }

  private record(event: ChartEvent): void {
    this.data = applyChartEvent(this.data, event);
    this.emit?.(event);
  }
}
