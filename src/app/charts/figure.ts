/**
 * One description of a chart on the page (a training curve or a research plot), from which the page draws it,
 * writes its data table (the accessible alternative) and exports it as a slide-ready SVG with its title, legend
 * and axis names in the page's font (and from that a PNG). Pure: no DOM, so it is unit-tested as text.
 */
import type { ChartData } from '../../core/experiments/charts';

export interface FigurePoint {
  x: number;
  y: number;
  /** A bar's group, or a named x position (a chain's link). */
  label?: string;
}

export interface FigureSeries {
  key: string;
  label: string;
  color: string;
  /** A reference (a supervisor's final accuracy, an oracle): dashed line or outlined bar. */
  dashed?: boolean;
  points: FigurePoint[];
}

export interface Figure {
  id: string;
  title: string;
  kind: 'line' | 'bar';
  xLabel: string;
  yLabel: string;
  series: FigureSeries[];
  yDomain?: [number, number];
  /** y values are shares, written as percentages. */
  percent?: boolean;
  note?: string;
}

export const formatShare = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;

/** A y value as the figure writes it: a percentage for shares, else three significant decimals. */
export function formatValue(figure: Pick<Figure, 'percent'>, v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (figure.percent) return formatShare(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

const formatX = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** A research plot as a figure; series without a colour of their own get `colorOf(key)`. */
export function figureOfChart(chart: ChartData, colorOf: (key: string) => string): Figure {
  const { info } = chart;
  return {
    id: info.id,
    title: info.title,
    kind: info.kind,
    xLabel: info.xLabel,
    yLabel: info.yLabel,
    percent: info.percent,
    yDomain: info.yDomain,
    note: info.note,
    series: info.series.map((s) => ({ key: s.key, label: s.label, color: s.color ?? colorOf(s.key), dashed: s.dashed, points: chart.points[s.key] ?? [] })),
  };
}

/** Bar groups in order of first appearance: one per label, with each series' point. */
export function barGroups(figure: Figure): { label: string; values: Map<string, FigurePoint> }[] {
  const groups: { label: string; values: Map<string, FigurePoint> }[] = [];
  for (const s of figure.series)
    for (const p of s.points) {
      const label = p.label ?? formatX(p.x);
      let group = groups.find((g) => g.label === label);
      if (!group) groups.push((group = { label, values: new Map() }));
      group.values.set(s.key, p);
    }
  return groups;
}

/** The figure's data as a table: bars one row per group, lines one row per x with a column per series. */
export function figureTable(figure: Figure): { columns: string[]; rows: string[][] } {
  if (figure.kind === 'bar') {
    return {
      columns: [figure.xLabel, ...figure.series.map((s) => s.label)],
      rows: barGroups(figure).map((g) => [g.label, ...figure.series.map((s) => (g.values.has(s.key) ? formatValue(figure, g.values.get(s.key)!.y) : ''))]),
    };
  }
  const xs = [...new Set(figure.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const named = new Map(figure.series.flatMap((s) => s.points.filter((p) => p.label).map((p) => [p.x, p.label as string] as const)));
  return {
    columns: [figure.xLabel, ...figure.series.map((s) => s.label)],
    rows: xs.map((x) => [
      named.get(x) ?? formatX(x),
      ...figure.series.map((s) => {
        const p = s.points.find((q) => q.x === x);
        return p ? formatValue(figure, p.y) : '';
      }),
    ]),
  };
}

/** One sentence a screen reader gives for the figure: what it plots and where each series ends. */
export function figureSummary(figure: Figure): string {
  const ends = figure.series
    .map((s) => ({ s, last: s.points.at(-1) }))
    .filter((e) => e.last)
    .map((e) => `${e.s.label} ${formatValue(figure, e.last!.y)}`);
  return `${figure.title}: ${figure.yLabel} against ${figure.xLabel}.${ends.length ? ` Last values: ${ends.join(', ')}.` : ' No data yet.'}`;
}

/** Round tick values covering [min, max] (about `count` of them). */
export function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/** The y range a line figure draws: its fixed domain, or the data's with a margin (shares kept within 0-100%). */
export function yRange(figure: Figure): [number, number] {
  if (figure.yDomain) return figure.yDomain;
  const ys = figure.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  if (ys.length === 0) return [0, 1];
  let [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  const pad = Math.max((hi - lo) * 0.15, Math.abs(hi) * 0.02, 1e-3);
  [lo, hi] = [lo - pad, hi + pad];
  if (figure.percent) [lo, hi] = [Math.max(0, lo), Math.min(1, hi)];
  return [lo, hi];
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A slide-ready SVG of the figure: title, legend, axis names and ticks in `font`, white background. */
export function figureSvg(figure: Figure, options: { font: string; width?: number; height?: number }): string {
  const width = options.width ?? 960;
  const height = options.height ?? 560;
  const font = escapeXml(options.font);
  const out: string[] = [];
  const text = (x: number, y: number, content: string, attrs = '') =>
    out.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(content)}</text>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  text(24, 36, figure.title, 'font-size="24" font-weight="700" fill="#0f172a"');

  // The legend: one row of swatches and names under the title, wrapping where it must.
  let lx = 24;
  let ly = 66;
  for (const s of figure.series) {
    const w = 34 + s.label.length * 9;
    if (lx + w > width - 24) [lx, ly] = [24, ly + 24];
    out.push(
      `<line x1="${lx}" y1="${ly - 6}" x2="${lx + 24}" y2="${ly - 6}" stroke="${s.color}" stroke-width="4"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`,
    );
    text(lx + 30, ly, s.label, 'font-size="16" fill="#0f172a"');
    lx += w + 16;
  }
  const top = ly + 24;
  const bottom = height - 64;

  if (figure.kind === 'bar') {
    const groups = barGroups(figure);
    const values = figure.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
    const [lo, hi] = figure.yDomain ?? [Math.min(0, ...values), Math.max(1e-9, ...values)];
    const left = 220;
    const right = width - 110;
    const toX = (v: number) => left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * (right - left);
    const zero = toX(Math.max(lo, Math.min(hi, 0)));
    const rowH = Math.min(34, (bottom - top) / Math.max(1, groups.length * figure.series.length + groups.length));
    let y = top;
    for (const g of groups) {
      text(left - 12, y + (rowH * figure.series.length) / 2 + 6, g.label, 'font-size="16" fill="#0f172a" text-anchor="end"');
      for (const s of figure.series) {
        const p = g.values.get(s.key);
        if (p) {
          const end = toX(p.y);
          const x0 = Math.min(zero, end);
          const w = Math.max(2, Math.abs(end - zero));
          out.push(
            `<rect x="${x0.toFixed(1)}" y="${(y + 3).toFixed(1)}" width="${w.toFixed(1)}" height="${(rowH - 6).toFixed(1)}" ${s.dashed ? `fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="6 4"` : `fill="${s.color}"`}/>`,
          );
          text(right + 8, y + rowH / 2 + 6, formatValue(figure, p.y), 'font-size="15" fill="#0f172a"');
        }
        y += rowH;
      }
      y += rowH;
    }
    out.push(`<line x1="${zero.toFixed(1)}" y1="${top}" x2="${zero.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#475569"/>`);
    text((left + right) / 2, height - 20, figure.yLabel, 'font-size="18" fill="#0f172a" text-anchor="middle"');
  } else {
    const left = 96;
    const right = width - 28;
    const xs = figure.series.flatMap((s) => s.points.map((p) => p.x));
    const xMin = Math.min(0, ...xs);
    const xMax = Math.max(xMin + 1, ...xs);
    const [yMin, yMax] = yRange(figure);
    const toX = (x: number) => left + ((x - xMin) / (xMax - xMin)) * (right - left);
    const toY = (v: number) => bottom - ((Math.min(yMax, Math.max(yMin, v)) - yMin) / (yMax - yMin || 1)) * (bottom - top);
    for (const t of niceTicks(yMin, yMax, 5)) {
      out.push(`<line x1="${left}" y1="${toY(t).toFixed(1)}" x2="${right}" y2="${toY(t).toFixed(1)}" stroke="#cbd5e1" stroke-dasharray="3 3"/>`);
      text(left - 8, toY(t) + 5, figure.percent ? formatShare(t, 0) : formatValue({}, t), 'font-size="15" fill="#0f172a" text-anchor="end"');
    }
    const named = figure.series.flatMap((s) => s.points.filter((p) => p.label));
    const ticks = named.length
      ? [...new Map(named.map((p) => [p.x, p.label as string])).entries()].map(([x, label]) => ({ x, label }))
      : niceTicks(xMin, xMax, 6).map((x) => ({ x, label: formatX(x) }));
    for (const t of ticks) text(toX(t.x), bottom + 22, t.label, 'font-size="15" fill="#0f172a" text-anchor="middle"');
    out.push(
      `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#475569"/><line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#475569"/>`,
    );
    for (const s of figure.series) {
      const points = s.points.filter((p) => Number.isFinite(p.y));
      if (points.length === 0) continue;
      const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${toX(p.x).toFixed(1)},${toY(p.y).toFixed(1)}`).join('');
      out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="3" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="9 6"' : ''}/>`);
      if (points.length <= 24) for (const p of points) out.push(`<circle cx="${toX(p.x).toFixed(1)}" cy="${toY(p.y).toFixed(1)}" r="4" fill="${s.color}"/>`);
    }
    text((left + right) / 2, height - 18, figure.xLabel, 'font-size="18" fill="#0f172a" text-anchor="middle"');
    text(
      26,
      (top + bottom) / 2,
      figure.yLabel,
      `font-size="18" fill="#0f172a" text-anchor="middle" transform="rotate(-90 26 ${((top + bottom) / 2).toFixed(1)})"`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">${out.join('')}</svg>`;
}
