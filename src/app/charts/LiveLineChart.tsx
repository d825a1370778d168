import { useEffect, useRef } from 'react';
import { cancelPaint, paintSoon } from './paint-queue';

export interface LiveSeries {
  key: string;
  label: string;
  color: string;
  points: { x: number; y: number }[];
  /** A reference line, drawn dashed. */
  dashed?: boolean;
  /** A dash pattern of its own (overrides `dashed`). */
  dash?: number[];
  /** A shaded band around the line (mean ± sd over seeds). */
  band?: { x: number; lower: number; upper: number }[];
  /** Dots on each point (sparse series: a sweep, a few probe measurements). */
  markers?: boolean;
}

const FONT = '11px system-ui, sans-serif';
const MARGIN = { top: 6, right: 12, bottom: 20, left: 42 };

function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/**
 * The curves while a run trains, drawn on a canvas: a redraw costs about a millisecond, where a Recharts redraw
 * costs 50-80 ms of main thread on a small machine (BENCHMARKS.md). When the run ends the panel switches back
 * to Recharts, with its tooltips and legend.
 */
export function LiveLineChart({
  series,
  yDomain,
  formatY,
  testId,
  xFromZero = true,
  xTicks,
}: {
  series: LiveSeries[];
  yDomain?: [number, number];
  formatY: (v: number) => string;
  testId: string;
  xFromZero?: boolean;
  /** Named x positions (a chain's links) drawn instead of numeric ticks. */
  xTicks?: { x: number; label: string }[];
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  /** The box's size, kept by a ResizeObserver: reading it while drawing would force a layout each redraw. */
  const sizeRef = useRef<{ width: number; height: number } | null>(null);
  const drawRef = useRef<() => void>(() => {});
  const scheduleDraw = () => paintSoon(drawRef, () => drawRef.current());

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver((entries) => {
      const { width, height } = entries[entries.length - 1].contentRect;
      sizeRef.current = { width, height };
      scheduleDraw();
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      cancelPaint(drawRef);
    };
  }, []);

  useEffect(() => {
    drawRef.current = () => {
      const canvas = canvasRef.current;
      const size = sizeRef.current;
      if (!canvas || !size) return;
      const { width, height } = size;
      const ratio = window.devicePixelRatio || 1;
      const pixelWidth = Math.max(1, Math.round(width * ratio));
      const pixelHeight = Math.max(1, Math.round(height * ratio));
      // Setting a canvas's size reallocates it: only when the size changed.
      if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
      if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
      const context = canvas.getContext('2d');
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
      const xMin = xFromZero ? 0 : Math.min(...all.map((p) => p.x), 0);
      let xMax = Math.max(xFromZero ? 1 : xMin, ...all.map((p) => p.x));
      if (xMax === xMin) xMax = xMin + 1;
      let [yMin, yMax] = yDomain ?? [Math.min(0, ...all.map((p) => p.y)), Math.max(...all.map((p) => p.y), 1e-6)];
      if (!yDomain && all.length === 0) [yMin, yMax] = [0, 1];
      const plotW = width - MARGIN.left - MARGIN.right;
      const plotH = height - MARGIN.top - MARGIN.bottom;
      const toX = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
      const toY = (y: number) => MARGIN.top + (1 - (Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin || 1)) * plotH;
      context.font = FONT;
      context.strokeStyle = '#e2e8f0';
      context.fillStyle = '#64748b';
      context.lineWidth = 1;
      context.setLineDash([3, 3]);
      context.textAlign = 'right';
      context.textBaseline = 'middle';
      for (const t of niceTicks(yMin, yMax, 4)) {
        context.beginPath();
        context.moveTo(MARGIN.left, toY(t));
        context.lineTo(MARGIN.left + plotW, toY(t));
        context.stroke();
        context.fillText(formatY(t), MARGIN.left - 4, toY(t));
      }
      context.textAlign = 'center';
      context.textBaseline = 'top';
      const ticks = xTicks ?? niceTicks(xMin, xMax, 5).map((t) => ({ x: t, label: String(t) }));
      ticks.forEach((t, i) => {
        context.beginPath();
        context.moveTo(toX(t.x), MARGIN.top);
        context.lineTo(toX(t.x), MARGIN.top + plotH);
        context.stroke();
        // Named ticks at the edges are aligned inwards so they stay on the canvas.
        context.textAlign = xTicks && i === 0 ? 'left' : xTicks && i === ticks.length - 1 ? 'right' : 'center';
        context.fillText(t.label, toX(t.x), MARGIN.top + plotH + 4);
      });
      context.setLineDash([]);
      // Bands first, under every line.
      context.globalAlpha = 0.16;
      for (const s of series) {
        const band = s.band?.filter((p) => Number.isFinite(p.lower) && Number.isFinite(p.upper));
        if (!band?.length) continue;
        context.fillStyle = s.color;
        context.beginPath();
        band.forEach((p, i) => (i === 0 ? context.moveTo(toX(p.x), toY(p.upper)) : context.lineTo(toX(p.x), toY(p.upper))));
        for (let i = band.length - 1; i >= 0; i--) context.lineTo(toX(band[i].x), toY(band[i].lower));
        context.closePath();
        context.fill();
      }
      context.globalAlpha = 1;
      context.lineWidth = 2;
      context.lineJoin = 'round';
      for (const s of series) {
        const points = s.points.filter((p) => Number.isFinite(p.y));
        if (points.length === 0) continue;
        context.strokeStyle = s.color;
        context.fillStyle = s.color;
        context.setLineDash(s.dash ?? (s.dashed ? [6, 4] : []));
        context.beginPath();
        points.forEach((p, i) => (i === 0 ? context.moveTo(toX(p.x), toY(p.y)) : context.lineTo(toX(p.x), toY(p.y))));
        context.stroke();
        if (s.markers) {
          for (const p of points) {
            context.beginPath();
            context.arc(toX(p.x), toY(p.y), 3, 0, 2 * Math.PI);
            context.fill();
          }
        }
      }
      context.setLineDash([]);
    };
    scheduleDraw();
  }, [series, yDomain, formatY, xFromZero, xTicks]);

  const points = series.reduce((n, s) => n + s.points.length, 0);
  return (
    <div ref={boxRef} className="live-chart" data-testid={testId} data-points={points}>
      <canvas ref={canvasRef} />
    </div>
  );
}
