import { useEffect, useRef } from 'react';
import { niceTicks } from './figure';
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

/** Margins around the plot for ticks of this font size (px): lecture mode's large type needs more room. */
function margins(font: number) {
  return { top: Math.round(font * 0.6), right: Math.round(font * 1.1), bottom: Math.round(font * 1.8), left: Math.round(font * 3.6) };
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
  /** The box's size and type, kept by a ResizeObserver: reading them while drawing would force a layout each redraw. */
  const sizeRef = useRef<{ width: number; height: number; font: number; family: string } | null>(null);
  const drawRef = useRef<() => void>(() => {});
  const scheduleDraw = () => paintSoon(drawRef, () => drawRef.current());

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver((entries) => {
      const { width, height } = entries[entries.length - 1].contentRect;
      // The ticks take the page's type size (larger in lecture mode, whose layout change resizes the box).
      const style = getComputedStyle(box);
      sizeRef.current = { width, height, font: parseFloat(style.fontSize) || 12, family: style.fontFamily };
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
      const { width, height, font, family } = size;
      const margin = margins(font);
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
      const plotW = width - margin.left - margin.right;
      const plotH = height - margin.top - margin.bottom;
      const toX = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
      const toY = (y: number) => margin.top + (1 - (Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin || 1)) * plotH;
      context.font = `${font}px ${family}`;
      context.strokeStyle = '#cbd5e1';
      context.fillStyle = '#334155';
      context.lineWidth = 1;
      context.setLineDash([3, 3]);
      context.textAlign = 'right';
      context.textBaseline = 'middle';
      for (const t of niceTicks(yMin, yMax, 4)) {
        context.beginPath();
        context.moveTo(margin.left, toY(t));
        context.lineTo(margin.left + plotW, toY(t));
        context.stroke();
        context.fillText(formatY(t), margin.left - 6, toY(t));
      }
      context.textAlign = 'center';
      context.textBaseline = 'top';
      const ticks = xTicks ?? niceTicks(xMin, xMax, 5).map((t) => ({ x: t, label: String(t) }));
      ticks.forEach((t, i) => {
        context.beginPath();
        context.moveTo(toX(t.x), margin.top);
        context.lineTo(toX(t.x), margin.top + plotH);
        context.stroke();
        // Named ticks at the edges are aligned inwards so they stay on the canvas.
        context.textAlign = xTicks && i === 0 ? 'left' : xTicks && i === ticks.length - 1 ? 'right' : 'center';
        context.fillText(t.label, toX(t.x), margin.top + plotH + 4);
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
      context.lineWidth = font >= 16 ? 3.5 : 2;
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
        // Sparse series get a dot on each point; a curve that ends well before the others, a dot where it ends.
        const dots = s.markers ? points : points.at(-1)!.x < 0.9 * xMax ? [points.at(-1)!] : [];
        for (const p of dots) {
          context.beginPath();
          context.arc(toX(p.x), toY(p.y), font >= 16 ? 5 : 3.5, 0, 2 * Math.PI);
          context.fill();
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
