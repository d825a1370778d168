import { useMemo, useState } from 'react';
import { mistakeBreakdown, type MistakeCategory } from '../../core/metrics';
import { CATEGORY_COLORS, CATEGORY_LABELS, matrixStudentOf, percent, rolesOf, stageByName, studentsOf } from '../derived';
import { useApp } from '../store/context';
import { ClassesPanel } from './ClassesPanel';
import { Panel } from './Panel';

function Cell({ category, count, total, note }: { category: MistakeCategory; count: number; total: number; note: string }) {
  const selected = useApp((s) => s.category === category);
  const select = useApp((s) => s.selectCategory);
  return (
    <button
      type="button"
      className={`cell ${selected ? 'selected' : ''}`}
      style={{ borderColor: CATEGORY_COLORS[category] }}
      onClick={() => select(category)}
      aria-pressed={selected}
      data-testid={`cell-${category}`}
      title={`Show these examples: ${note}`}
    >
      <span className="cell-name" style={{ color: CATEGORY_COLORS[category] }}>
        {CATEGORY_LABELS[category]}
      </span>
      <span className="cell-count" data-testid={`count-${category}`}>
        {count}
      </span>
      <span className="cell-rate">{percent(total ? count / total : null, 1)} of test</span>
    </button>
  );
}

export function MatrixPanel() {
  const run = useApp((s) => s.run);
  const roles = rolesOf(run);
  const chosen = useApp((s) => s.matrixStudent);
  const selectStudent = useApp((s) => s.selectMatrixStudent);
  const studentName = matrixStudentOf(run, chosen);
  const supervisorPredictions = roles ? stageByName(run, roles.supervisor)?.result?.testPredictions : undefined;
  const studentPredictions = studentName ? stageByName(run, studentName)?.latestPredictions : undefined;
  const labels = run.start?.test.labels;
  // Counted over the whole test set: only when either side's predictions change, not on every progress update.
  const m = useMemo(
    () => (labels && supervisorPredictions && studentPredictions ? mistakeBreakdown(labels, supervisorPredictions, studentPredictions) : null),
    [labels, supervisorPredictions, studentPredictions],
  );
  const supervisorLabel = roles ? (stageByName(run, roles.supervisor)?.label ?? 'supervisor') : 'supervisor';
  const studentStage = studentName ? stageByName(run, studentName) : undefined;
  const live = studentStage && studentStage.status === 'training';
  const students = studentsOf(run);
  const [classesOpen, setClassesOpen] = useState(false);
  const anyTrained = run.stages.some((s) => s.result);
  return (
    <Panel
      title="Beat or copy"
      testId="matrix-panel"
      className="matrix"
      help={`Every test example, sorted by whether the ${supervisorLabel.toLowerCase()} and the student got it right. "Beats": the student corrected its supervisor's mistake. "Copies": it learned the same mistake. Click a cell to see those examples.`}
      actions={
        <>
          {students.length > 1 && (
            <label className="inline matrix-student">
              <span>student</span>
              <select value={studentName ?? ''} onChange={(e) => selectStudent(e.target.value)} data-testid="matrix-student">
                {students.map((name) => (
                  <option key={name} value={name}>
                    {stageByName(run, name)?.label ?? name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {live ? <span className="live-dot">live</span> : null}
          <button
            type="button"
            onClick={() => setClassesOpen(true)}
            disabled={!anyTrained}
            data-testid="open-classes"
            title="Confusion matrix and reliability diagram of any trained model"
          >
            Per class…
          </button>
          {classesOpen && <ClassesPanel onClose={() => setClassesOpen(false)} />}
        </>
      }
    >
      {!m ? (
        <p className="muted">Appears when the student starts training.</p>
      ) : (
        <>
          <div className="matrix-grid" role="group" aria-label="Supervisor right or wrong against student right or wrong">
            <div />
            <div className="matrix-head">student right</div>
            <div className="matrix-head">student wrong</div>
            <div className="matrix-side">supervisor right</div>
            <Cell category="bothRight" count={m.bothRight} total={m.total} note="both right" />
            <Cell category="regresses" count={m.regresses} total={m.total} note="the student broke what its supervisor had right" />
            <div className="matrix-side">supervisor wrong</div>
            <Cell category="beats" count={m.beats} total={m.total} note="the student corrected its supervisor" />
            <div className="cell-pair">
              <Cell category="copies" count={m.copies} total={m.total} note="the student learned its supervisor's mistake" />
              <Cell category="otherWrong" count={m.otherWrong} total={m.total} note="both wrong, differently" />
            </div>
          </div>
          <dl className="rates" data-testid="rates">
            <div>
              <dt>beat rate</dt>
              <dd data-testid="beat-rate">{percent(m.beatRate, 1)}</dd>
            </div>
            <div>
              <dt>copy rate</dt>
              <dd data-testid="copy-rate">{percent(m.copyRate, 1)}</dd>
            </div>
            <div>
              <dt>agreement</dt>
              <dd>{percent(m.agreement, 1)}</dd>
            </div>
            <div>
              <dt>agree | sup. right</dt>
              <dd>{percent(m.agreementWhenSupervisorRight, 1)}</dd>
            </div>
            <div>
              <dt>agree | sup. wrong</dt>
              <dd>{percent(m.agreementWhenSupervisorWrong, 1)}</dd>
            </div>
          </dl>
        </>
      )}
    </Panel>
  );
}
