import { useEffect, useMemo, useRef } from 'react';
import type { ExperimentStart } from '../../core/experiments/contract';
import { categorise, type MistakeCategory } from '../../core/metrics';
import { boundaryPixels, classColor, regionRgb, smoothRegions } from '../charts/regions';
import { cancelPaint, paintSoon } from '../charts/paint-queue';
import { CATEGORY_LABELS, rolesOf, stageByName } from '../derived';
import type { RunState, StageView } from '../store/run-state';
import { useApp } from '../store/context';

/** The canvas's size in CSS pixels, and the smooth image's size (scaled up with smoothing). */
const SIZE = 260;
const IMAGE = 192;

/** The stages whose regions the lesson compares: the supervisor, the gap's lower and upper models, the chosen student. */
export function regionStages(run: RunState, student: string | null): StageView[] {
  const roles = rolesOf(run);
  if (!roles) return [];
  const names = new Set([roles.supervisor, roles.lower, roles.upper, student ?? roles.student]);
  return run.stages.filter((s) => names.has(s.name));
}

/**
 * One model's decision regions, live from its first measurement: the shade is the class it predicts there
 * (boundaries drawn smooth and dark), the dots are the test points in their true class; the points of the
 * category chosen in the matrix are ringed.
 */
function RegionsPlot({ start, stage, ringed }: { start: ExperimentStart; stage: StageView; ringed: Uint8Array | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const grid = stage.latestGrid;
  const image = useMemo(() => {
    if (!grid || !start.grid) return null;
    const classes = smoothRegions(grid, start.grid.resolution, IMAGE);
    const edges = boundaryPixels(classes, IMAGE);
    const pixels = new Uint8ClampedArray(IMAGE * IMAGE * 4);
    for (let p = 0; p < IMAGE * IMAGE; p++) {
      const [r, g, b] = regionRgb(classes[p], edges[p] ? 0.15 : 0.78);
      pixels.set([r, g, b, 255], 4 * p);
    }
    return new ImageData(pixels, IMAGE, IMAGE);
  }, [grid, start.grid]);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !start.grid) return;
    paintSoon(canvas, () => {
      const ratio = window.devicePixelRatio || 1;
      const px = Math.round(SIZE * ratio);
      if (canvas.width !== px) [canvas.width, canvas.height] = [px, px];
      const context = canvas.getContext('2d');
      if (!context) return;
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.fillStyle = '#f8fafc';
      context.fillRect(0, 0, px, px);
      if (image) {
        const buffer = new OffscreenCanvas(IMAGE, IMAGE);
        buffer.getContext('2d')!.putImageData(image, 0, 0);
        context.imageSmoothingEnabled = true;
        context.drawImage(buffer, 0, 0, px, px);
      }
      const { bounds } = start.grid!;
      const toX = (x: number) => ((x - bounds[0]) / (bounds[1] - bounds[0])) * px;
      const toY = (y: number) => px - ((y - bounds[2]) / (bounds[3] - bounds[2])) * px;
      const { features, labels } = start.test;
      const r = 2.2 * ratio;
      for (const pass of [0, 1]) {
        for (let k = 0; k < labels.length; k++) {
          const isRinged = ringed?.[k] === 1;
          if ((pass === 1) !== isRinged) continue;
          context.beginPath();
          context.arc(toX(features[2 * k]), toY(features[2 * k + 1]), isRinged ? 1.6 * r : r, 0, 2 * Math.PI);
          context.fillStyle = classColor(labels[k]);
          context.fill();
          if (isRinged) {
            context.lineWidth = 1.5 * ratio;
            context.strokeStyle = '#0f172a';
            context.stroke();
          }
        }
      }
    });
    return () => cancelPaint(canvas);
  }, [image, start, ringed]);

  const step = stage.history.at(-1)?.step ?? 0;
  const state =
    stage.status === 'waiting' ? 'waiting' : stage.status === 'training' ? `step ${step}/${stage.totalSteps}` : stage.status === 'done' ? 'final' : 'stopped';
  return (
    <figure className="regions" data-testid={`regions-${stage.name}`}>
      <canvas
        ref={ref}
        data-testid="regions-canvas"
        role="img"
        aria-label={`${stage.label}: decision regions over the test points (${state})${grid ? '' : ', not drawn yet'}`}
        style={{ width: '100%', aspectRatio: '1' }}
      />
      <figcaption>
        <strong>{stage.label}</strong> <span className="muted">{grid ? state : stage.status === 'waiting' ? 'waiting' : 'no regions (a labelling rule)'}</span>
      </figcaption>
    </figure>
  );
}

/** The 2-D view: every compared model's regions side by side from step 0, a legend that says what each mark means. */
export function RegionsView({ start, student, category }: { start: ExperimentStart; student: string | null; category: MistakeCategory }) {
  const run = useApp((s) => s.run);
  const roles = rolesOf(run);
  const stages = regionStages(run, student);
  const supervisor = roles ? stageByName(run, roles.supervisor)?.latestPredictions : null;
  const studentPredictions = student ? stageByName(run, student)?.latestPredictions : null;
  // The category chosen in the matrix, ringed once both sides have predictions.
  const ringed = useMemo(() => {
    if (!supervisor || !studentPredictions) return null;
    const labels = start.test.labels;
    return Uint8Array.from(labels, (y, k) => (categorise(y, supervisor[k], studentPredictions[k]) === category ? 1 : 0));
  }, [start, supervisor, studentPredictions, category]);
  const count = ringed?.reduce((n, v) => n + v, 0) ?? 0;
  return (
    <>
      <div className="regions-row" data-testid="regions">
        {stages.map((stage) => (
          <RegionsPlot key={stage.name} start={start} stage={stage} ringed={ringed} />
        ))}
      </div>
      <div className="regions-legend" data-testid="regions-legend">
        <span className="regions-key">Shade: the class a model predicts there; dark line: its boundary. Dots: test points in their true class.</span>
        {start.classNames.map((name, c) => (
          <span key={name} className="class-key">
            <span className="class-dot" style={{ background: classColor(c) }} aria-hidden />
            <span className="class-shade" style={{ background: `rgb(${regionRgb(c).join(',')})` }} aria-hidden />
            {name}
          </span>
        ))}
        {ringed && (
          <span className="class-key">
            <span className="class-dot ringed" aria-hidden />
            ringed: {CATEGORY_LABELS[category]} ({count})
          </span>
        )}
      </div>
    </>
  );
}
