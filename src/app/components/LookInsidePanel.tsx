import { useEffect, useRef, useState } from 'react';
import type { FirstLayerWeights } from '../../core/experiments/figures';
import { cancelPaint, paintSoon } from '../charts/paint-queue';
import { stageColor } from '../derived';
import { useApp } from '../store/context';
import { Panel } from './Panel';

/** A weight as a colour: blue where it is positive, orange where negative, white at zero (scaled by `max`). */
function weightRgb(w: number, max: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, max > 0 ? w / max : 0));
  const [r, g, b] = t >= 0 ? [37, 99, 235] : [194, 65, 12];
  const a = Math.abs(t);
  return [Math.round(255 + (r - 255) * a), Math.round(255 + (g - 255) * a), Math.round(255 + (b - 255) * a)];
}

/** One unit's weights on the image's pixels, drawn as that image. */
function UnitImage({ layer, unit, label }: { layer: FirstLayerWeights; unit: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    paintSoon(canvas, () => {
      const { height, width, weights } = layer;
      const size = height * width;
      const own = weights.subarray(unit * size, (unit + 1) * size);
      const max = own.reduce((m, w) => Math.max(m, Math.abs(w)), 0);
      const context = canvas.getContext('2d');
      if (!context) return;
      const image = context.createImageData(width, height);
      for (let p = 0; p < size; p++) image.data.set([...weightRgb(own[p], max), 255], 4 * p);
      context.putImageData(image, 0, 0);
    });
    return () => cancelPaint(canvas);
  }, [layer, unit]);
  return (
    <figure className="unit">
      <canvas ref={ref} width={layer.width} height={layer.height} role="img" aria-label={`${label}: weights on each pixel`} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/**
 * A look inside, for image data: the first layer of each model that reads pixels (a linear model, an MLP),
 * one image per unit, updating as it trains. A linear model's units are its classes: the digit each looks for.
 */
export function LookInsidePanel() {
  const all = useApp((s) => s.run.stages);
  const stages = all.filter((stage) => stage.firstLayer);
  // Selected as stored (a fresh [] on each read would re-render forever).
  const classNames = useApp((s) => s.run.start?.classNames) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  if (stages.length === 0) return null;
  // The visitor's choice; else the model training now; else the smallest layer (the student's, whose few units
  // show clearer patterns than a wide teacher's), the last of equals.
  const smallest = stages.reduce((a, b) => (b.firstLayer!.layer.totalUnits <= a.firstLayer!.layer.totalUnits ? b : a));
  const stage = stages.find((s) => s.name === chosen) ?? stages.find((s) => s.status === 'training') ?? smallest;
  const { layer, step } = stage.firstLayer!;
  const linear = layer.units === classNames.length && stage.model?.startsWith('linear');
  return (
    <Panel
      title="A look inside: first-layer weights"
      testId="look-inside"
      className="look-inside"
      help="Each square is one unit's weights on the image's pixels: blue where ink raises the unit, orange where it lowers it, white where the pixel does not matter. A linear model has one unit per class: the pattern each class looks for."
      actions={
        stages.length > 1 && (
          <label className="inline">
            <span>model</span>
            <select value={stage.name} onChange={(e) => setChosen(e.target.value)} data-testid="look-inside-model">
              {stages.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      <p className="look-inside-head">
        <strong style={{ color: stageColor(stage.name) }}>{stage.label}</strong> · {stage.model} · step {step}
        {layer.units < layer.totalUnits ? ` · the first ${layer.units} of ${layer.totalUnits} units` : ''}
      </p>
      {/* Full rows: ten classes in two rows of five, sixteen units in four rows of four. */}
      <div className="units" data-testid="units" style={{ gridTemplateColumns: `repeat(${layer.units % 5 === 0 ? 5 : 4}, minmax(0, 1fr))` }}>
        {Array.from({ length: layer.units }, (_, u) => (
          <UnitImage key={u} layer={layer} unit={u} label={linear ? (classNames[u] ?? `unit ${u + 1}`) : `unit ${u + 1}`} />
        ))}
      </div>
    </Panel>
  );
}
