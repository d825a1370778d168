import { useEffect, useMemo, useRef, useState } from 'react';
import { categorise, type MistakeCategory } from '../../core/metrics';
import type { ExperimentStart } from '../../core/experiments/contract';
import { CATEGORY_COLORS, CATEGORY_LABELS, matrixStudentOf, rolesOf, stageByName } from '../derived';
import { useApp } from '../store/context';
import { Panel } from './Panel';
import { cancelPaint, paintSoon } from '../charts/paint-queue';

const MAX_SHOWN = 48;

/** Indices of test examples in a category. */
function examplesIn(category: MistakeCategory, labels: Int32Array, supervisor: Int32Array, student: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (categorise(labels[i], supervisor[i], student[i]) === category) out.push(i);
  return out;
}

function Thumbnail({ features, index, shape }: { features: Float32Array; index: number; shape: number[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [height, width] = shape;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    // A gallery appears 48 thumbnails at a time: painted over the next frames, not all in this one.
    paintSoon(canvas, () => {
      const context = canvas.getContext('2d');
      if (!context) return;
      const image = context.createImageData(width, height);
      const size = width * height;
      const pixels = image.data;
      for (let p = 0; p < size; p++) {
        // Dark ink on white, like the digits were written.
        const v = 255 - Math.round(255 * Math.min(1, Math.max(0, features[index * size + p])));
        pixels[4 * p] = pixels[4 * p + 1] = pixels[4 * p + 2] = v;
        pixels[4 * p + 3] = 255;
      }
      context.putImageData(image, 0, 0);
    });
    return () => cancelPaint(canvas);
  }, [features, index, width, height]);
  return <canvas ref={ref} width={width} height={height} className="thumb" />;
}

/** Figures added per frame when a gallery first appears: all 48 in one frame cost 20-40 ms of layout and paint. */
const MOUNTED_PER_FRAME = 12;

function Gallery({ start, indices, supervisor, student }: { start: ExperimentStart; indices: number[]; supervisor: Int32Array; student: Int32Array }) {
  const names = start.classNames;
  const [mounted, setMounted] = useState(MOUNTED_PER_FRAME);
  const wanted = Math.min(indices.length, MAX_SHOWN);
  useEffect(() => {
    if (mounted >= wanted) return;
    const frame = requestAnimationFrame(() => setMounted((n) => n + MOUNTED_PER_FRAME));
    return () => cancelAnimationFrame(frame);
  }, [mounted, wanted]);
  return (
    <div className="gallery" data-testid="gallery">
      {indices.slice(0, Math.min(mounted, MAX_SHOWN)).map((i) => (
        <figure key={i} className="example" data-testid="example">
          <Thumbnail features={start.test.features} index={i} shape={start.test.featureShape} />
          <figcaption>
            <span title="truth">{names[start.test.labels[i]]}</span>
            <span className="sup" title="supervisor's prediction">
              {names[supervisor[i]]}
            </span>
            <span className="stu" title="student's prediction">
              {names[student[i]]}
            </span>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}

function ExampleTable({ start, indices, supervisor, student }: { start: ExperimentStart; indices: number[]; supervisor: Int32Array; student: Int32Array }) {
  const names = start.classNames;
  return (
    <table className="example-table" data-testid="example-table">
      <thead>
        <tr>
          <th>test row</th>
          <th>truth</th>
          <th>supervisor</th>
          <th>student</th>
        </tr>
      </thead>
      <tbody>
        {indices.slice(0, MAX_SHOWN).map((i) => (
          <tr key={i}>
            <td>{i}</td>
            <td>{names[start.test.labels[i]]}</td>
            <td>{names[supervisor[i]]}</td>
            <td>{names[student[i]]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const REGION_COLORS = ['#dbeafe', '#fde68a', '#dcfce7', '#fce7f3', '#e0e7ff'];
const POINT_SIZE = 240;

/** Decision regions of one model with the test points on top, coloured by beat/copy category. */
function RegionsPlot({
  start,
  grid,
  title,
  supervisor,
  student,
  category,
}: {
  start: ExperimentStart;
  grid: Int32Array | null;
  title: string;
  supervisor: Int32Array;
  student: Int32Array;
  category: MistakeCategory;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || !start.grid) return;
    const { bounds, resolution } = start.grid;
    const cell = POINT_SIZE / resolution;
    context.clearRect(0, 0, POINT_SIZE, POINT_SIZE);
    if (grid) {
      for (let j = 0; j < resolution; j++) {
        for (let i = 0; i < resolution; i++) {
          context.fillStyle = REGION_COLORS[grid[j * resolution + i] % REGION_COLORS.length];
          // Row j grows upwards in data space, downwards on the canvas.
          context.fillRect(i * cell, POINT_SIZE - (j + 1) * cell, Math.ceil(cell), Math.ceil(cell));
        }
      }
    }
    const toX = (x: number) => ((x - bounds[0]) / (bounds[1] - bounds[0])) * POINT_SIZE;
    const toY = (y: number) => POINT_SIZE - ((y - bounds[2]) / (bounds[3] - bounds[2])) * POINT_SIZE;
    const { features, labels } = start.test;
    // Unselected categories first and faint, the selected one on top.
    for (const pass of ['others', 'selected'] as const) {
      for (let k = 0; k < labels.length; k++) {
        const c = categorise(labels[k], supervisor[k], student[k]);
        if ((c === category) !== (pass === 'selected')) continue;
        context.globalAlpha = pass === 'selected' ? 1 : 0.35;
        context.fillStyle = CATEGORY_COLORS[c];
        context.beginPath();
        context.arc(toX(features[2 * k]), toY(features[2 * k + 1]), pass === 'selected' ? 3 : 2, 0, 2 * Math.PI);
        context.fill();
      }
    }
    context.globalAlpha = 1;
  }, [start, grid, supervisor, student, category]);
  return (
    <figure className="regions">
      <canvas ref={ref} width={POINT_SIZE} height={POINT_SIZE} data-testid="regions-canvas" />
      <figcaption>{title}</figcaption>
    </figure>
  );
}

export function ExamplesPanel() {
  const run = useApp((s) => s.run);
  const category = useApp((s) => s.category);
  const regions = useApp((s) => s.regions);
  const setRegions = useApp((s) => s.setRegions);
  const roles = rolesOf(run);
  const start = run.start;
  const supervisorStage = roles ? stageByName(run, roles.supervisor) : undefined;
  const chosenStudent = useApp((s) => s.matrixStudent);
  const studentName = matrixStudentOf(run, chosenStudent);
  const studentStage = studentName ? stageByName(run, studentName) : undefined;
  const supervisor = supervisorStage?.result?.testPredictions;
  const student = studentStage?.latestPredictions;
  const indices = useMemo(
    () => (start && supervisor && student ? examplesIn(category, start.test.labels, supervisor, student) : []),
    [start, supervisor, student, category],
  );
  const isPoints = start?.grid != null;
  const toggle = isPoints ? (
    <div className="segmented" role="group" aria-label="Decision regions">
      {(['side-by-side', 'supervisor', 'student'] as const).map((r) => (
        <button key={r} type="button" aria-pressed={regions === r} onClick={() => setRegions(r)}>
          {r}
        </button>
      ))}
    </div>
  ) : null;
  return (
    <Panel
      title={`Examples: ${CATEGORY_LABELS[category]}`}
      testId="examples-panel"
      className="examples"
      actions={toggle}
      help={
        isPoints
          ? "Test points over each model's decision regions; the selected category is drawn bold, the rest faint. A student that copies draws the same boundary as its supervisor."
          : "Test examples in the selected cell of the matrix: the truth, then the supervisor's prediction (orange), then the student's (green)."
      }
    >
      {!start || !supervisor || !student ? (
        <p className="muted">Appears when the student starts training.</p>
      ) : isPoints ? (
        <>
          <div className="regions-row" data-testid="regions">
            {regions !== 'student' && (
              <RegionsPlot
                start={start}
                grid={supervisorStage?.latestGrid ?? null}
                title={supervisorStage?.label ?? 'supervisor'}
                supervisor={supervisor}
                student={student}
                category={category}
              />
            )}
            {regions !== 'supervisor' && (
              <RegionsPlot
                start={start}
                grid={studentStage?.latestGrid ?? null}
                title={studentStage?.label ?? 'student'}
                supervisor={supervisor}
                student={student}
                category={category}
              />
            )}
          </div>
          <div className="regions-legend">
            {(Object.keys(CATEGORY_LABELS) as MistakeCategory[]).map((c) => (
              <span key={c} style={{ ['--dot' as string]: CATEGORY_COLORS[c], fontWeight: c === category ? 700 : 400 }}>
                {CATEGORY_LABELS[c]}
              </span>
            ))}
          </div>
        </>
      ) : (
        <>
          <p className="example-count">
            <span data-testid="example-count">{indices.length}</span> example{indices.length === 1 ? '' : 's'}
            {indices.length > MAX_SHOWN ? `, first ${MAX_SHOWN} shown` : ''}
            {start.datasetKind === 'image' && (
              <span className="caption-key">
                under each: truth <span className="sup">supervisor</span> <span className="stu">student</span>
              </span>
            )}
          </p>
          {start.datasetKind === 'image' ? (
            <Gallery start={start} indices={indices} supervisor={supervisor} student={student} />
          ) : (
            <ExampleTable start={start} indices={indices} supervisor={supervisor} student={student} />
          )}
        </>
      )}
    </Panel>
  );
}
