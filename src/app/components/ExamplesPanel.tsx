import { useEffect, useMemo, useRef, useState } from 'react';
import { categorise, type MistakeCategory } from '../../core/metrics';
import type { ExperimentStart } from '../../core/experiments/contract';
import { CATEGORY_LABELS, matrixStudentOf, rolesOf, stageByName, stageColor } from '../derived';
import { RegionsView } from './RegionsView';
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

type Names = { sup: string; stu: string };

function Gallery({
  start,
  indices,
  supervisor,
  student,
  colors,
  names: who,
}: {
  start: ExperimentStart;
  indices: number[];
  supervisor: Int32Array;
  student: Int32Array;
  colors: Names;
  names: Names;
}) {
  const names = start.classNames;
  // Names longer than a digit ("Sneaker") go one under the other, on wider tiles.
  const long = names.some((n) => n.length > 2);
  const [mounted, setMounted] = useState(MOUNTED_PER_FRAME);
  const wanted = Math.min(indices.length, MAX_SHOWN);
  useEffect(() => {
    if (mounted >= wanted) return;
    const frame = requestAnimationFrame(() => setMounted((n) => n + MOUNTED_PER_FRAME));
    return () => cancelAnimationFrame(frame);
  }, [mounted, wanted]);
  return (
    <div className={long ? 'gallery long-names' : 'gallery'} data-testid="gallery">
      {indices.slice(0, Math.min(mounted, MAX_SHOWN)).map((i) => (
        <figure key={i} className="example" data-testid="example">
          <Thumbnail features={start.test.features} index={i} shape={start.test.featureShape} />
          <figcaption>
            <span title="truth">{names[start.test.labels[i]]}</span>
            <span className="sup" style={{ color: colors.sup }} title={`${who.sup}'s prediction`}>
              {names[supervisor[i]]}
            </span>
            <span className="stu" style={{ color: colors.stu }} title={`${who.stu}'s prediction`}>
              {names[student[i]]}
            </span>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}

function ExampleTable({
  start,
  indices,
  supervisor,
  student,
  names: who,
}: {
  start: ExperimentStart;
  indices: number[];
  supervisor: Int32Array;
  student: Int32Array;
  names: Names;
}) {
  const names = start.classNames;
  return (
    <table className="example-table" data-testid="example-table">
      <thead>
        <tr>
          <th>test row</th>
          <th>truth</th>
          <th>{who.sup}</th>
          <th>{who.stu}</th>
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

export function ExamplesPanel() {
  const run = useApp((s) => s.run);
  const category = useApp((s) => s.category);
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
  const supervisorName = supervisorStage?.label ?? 'supervisor';
  const studentLabel = studentStage?.label ?? 'student';
  const colors = { sup: stageColor(roles?.supervisor ?? 'weak'), stu: stageColor(studentName ?? 'student') };
  return (
    <Panel
      title={isPoints ? 'Decision regions' : `Examples: ${CATEGORY_LABELS[category]}`}
      testId="examples-panel"
      className="examples"
      scrolls
      help={
        isPoints
          ? `Each model's decision regions over the test points, live as it trains. A student that copies draws the same boundary as its supervisor; the points of the matrix's cell (${CATEGORY_LABELS[category]}) are ringed.`
          : `Test examples in the selected cell of the matrix: the truth, then the ${supervisorName.toLowerCase()}'s prediction, then the ${studentLabel.toLowerCase()}'s.`
      }
    >
      {isPoints && start ? (
        <RegionsView start={start} student={studentName} category={category} />
      ) : !start || !supervisor || !student ? (
        <p className="muted">Appears when the {studentLabel.toLowerCase()} starts training.</p>
      ) : (
        <>
          <p className="example-count">
            <span data-testid="example-count">{indices.length}</span> example{indices.length === 1 ? '' : 's'}
            {indices.length > MAX_SHOWN ? `, first ${MAX_SHOWN} shown` : ''}
            {start.datasetKind === 'image' && (
              <span className="caption-key">
                under each: truth,{' '}
                <span className="sup" style={{ color: colors.sup }}>
                  {supervisorName.toLowerCase()}
                </span>
                ,{' '}
                <span className="stu" style={{ color: colors.stu }}>
                  {studentLabel.toLowerCase()}
                </span>
              </span>
            )}
          </p>
          {start.datasetKind === 'image' ? (
            <Gallery
              start={start}
              indices={indices}
              supervisor={supervisor}
              student={student}
              colors={colors}
              names={{ sup: supervisorName, stu: studentLabel }}
            />
          ) : (
            <ExampleTable start={start} indices={indices} supervisor={supervisor} student={student} names={{ sup: supervisorName, stu: studentLabel }} />
          )}
        </>
      )}
    </Panel>
  );
}
