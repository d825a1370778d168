import { bitsText, gapAt, latestAccuracy, latestBits, percent, ratio, resultsAreCurrent, rolesOf, stageColor, viewOf } from '../derived';
import type { StageView } from '../store/run-state';
import { useApp } from '../store/context';
import { Term } from './Term';

/** How long a stage took, or that it was reused (the same model, data and seed trained earlier) and how long that took. */
function trainedText(result: { seconds: number; reused?: { seconds: number } }): string {
  if (result.reused) return `reused: the same model, data and seed were trained earlier (in ${result.reused.seconds.toFixed(1)} s); not trained again`;
  return `trained in ${result.seconds.toFixed(1)} s`;
}

/** A card's headline figure: test accuracy, or (language models) held-out bits per character, lower being better. */
function Headline({ stage, bits }: { stage: StageView; bits: boolean }) {
  if (bits) {
    return (
      <div className="stage-accuracy" data-testid={`bits-${stage.name}`} title="held-out bits per character (lower is better)">
        {bitsText(latestBits(stage))}
        <span className="stage-unit"> bits/char</span>
      </div>
    );
  }
  return (
    <div className="stage-accuracy" data-testid={`accuracy-${stage.name}`} title={`${stage.label}: test accuracy (final checkpoint)`}>
      {percent(latestAccuracy(stage))}
    </div>
  );
}

/** One card per model: its accuracy (or bits per character) as it trains, then final and best; and the headline gap ratio, naming its student. */
export function StageSummary() {
  const run = useApp((s) => s.run);
  const current = useApp((s) => resultsAreCurrent(s.run, s.draft));
  const bits = useApp((s) => viewOf(s.run, s.draft.kind).metric === 'bitsPerCharacter');
  const roles = rolesOf(run);
  const student = roles ? run.stages.find((s) => s.name === roles.student) : undefined;
  const studentAccuracy = latestAccuracy(student);
  const gap = studentAccuracy !== null ? gapAt(run, studentAccuracy) : null;
  const result = run.result;
  const bestGap = result ? result.pgr.best : null;
  const labelOf = (name: string) => run.stages.find((s) => s.name === name)?.label ?? name;
  return (
    <section className={`summary ${run.stages.length > 3 ? 'many' : ''} ${current ? '' : 'stale'}`} aria-label="Models" data-testid="stage-summary">
      {run.stages.length === 0 && <p className="muted">{run.status === 'starting' ? 'Loading data and starting the worker…' : 'Press Run to train.'}</p>}
      {run.stages.map((stage) => {
        const progress = stage.totalSteps ? (stage.history.at(-1)?.step ?? 0) / stage.totalSteps : 0;
        return (
          <div
            key={stage.name}
            className={`stage-card ${stage.status}`}
            data-testid={`stage-${stage.name}`}
            style={{ borderTopColor: stageColor(stage.name) }}
            title={`${stage.label}: ${stage.role}${stage.model ? `\n${stage.model}` : ''}${stage.result ? `\n${trainedText(stage.result)}` : ''}`}
          >
            <div className="stage-label" style={{ color: stageColor(stage.name) }}>
              {stage.label}
            </div>
            <Headline stage={stage} bits={bits} />
            <div className="stage-detail">
              {stage.result && bits ? (
                <span title="share of held-out characters the model's most likely guess gets right">next char {percent(stage.result.accuracy, 1)}</span>
              ) : stage.result ? (
                <>
                  best <span data-testid={`best-${stage.name}`}>{percent(stage.result.bestAccuracy)}</span>
                  {stage.result.reused && (
                    <>
                      {' · '}
                      <span className="reused" data-testid={`reused-${stage.name}`} title={trainedText(stage.result)}>
                        reused
                      </span>
                    </>
                  )}
                </>
              ) : stage.status === 'training' ? (
                `training · step ${stage.history.at(-1)?.step ?? 0}/${stage.totalSteps}`
              ) : stage.status === 'stopped' ? (
                <span data-testid={`stopped-${stage.name}`}>{`stopped at step ${stage.history.at(-1)?.step ?? 0}/${stage.totalSteps}`}</span>
              ) : (
                'waiting'
              )}
            </div>
            <div className="stage-model" title={stage.role}>
              {stage.model ?? stage.role}
            </div>
            <div className="progress" aria-hidden>
              <div style={{ width: `${Math.round((stage.status === 'done' ? 1 : progress) * 100)}%`, background: stageColor(stage.name) }} />
            </div>
          </div>
        );
      })}
      {roles?.gapName && (
        <div className="stage-card gap-card" data-testid="gap-card">
          <div className="stage-label">
            <Term name={roles.gapName === 'PGR' ? 'PGR' : 'gap closed'}>{roles.gapName}</Term> <span className="gap-of">of {labelOf(roles.student)}</span>
          </div>
          <div
            className="stage-accuracy"
            data-testid="gap-value"
            title={gap?.reason ?? `(${labelOf(roles.student)} − ${labelOf(roles.lower)}) / (${labelOf(roles.upper)} − ${labelOf(roles.lower)})`}
          >
            {gap ? ratio(gap.value) : '–'}
          </div>
          <div className="stage-detail">
            {gap?.reason ? (
              <span className="na-reason">{gap.reason}</span>
            ) : result ? (
              <>
                best <span data-testid="gap-best">{ratio(bestGap)}</span>
              </>
            ) : (
              `(student − ${roles.lower}) / (${roles.upper} − ${roles.lower})`
            )}
          </div>
        </div>
      )}
    </section>
  );
}
