import { lazy, Suspense, useEffect, useState } from 'react';
import { useApp } from '../store/context';
import { resultsAreCurrent, viewOf } from '../derived';
import { isHidden } from '../hidden';
import { keyBelongsToFocus } from '../keys';
import { ConfigPanel } from './ConfigPanel';
import { CurvesPanel } from './CurvesPanel';
import { CustomDataNotice } from './CustomDataNotice';
import { ErrorBanner, RunBlockedBanner } from './ErrorBanner';
import { ExamplesPanel } from './ExamplesPanel';
import { Header } from './Header';
import { LookInsidePanel } from './LookInsidePanel';
import { MatrixPanel } from './MatrixPanel';
import { NoticeBanner } from './NoticeBanner';
import { ResearchPanel } from './ResearchPanel';
import { StageSummary } from './StageSummary';

// The language lab (prompt, writing side by side) loads only when a language experiment is on screen.
const LanguageLab = lazy(() => import('../language/LanguageLab').then((m) => ({ default: m.LanguageLab })));

/** Says that the results on screen were made with other settings than the form's, until the next run. */
function StaleNote() {
  const startRun = useApp((s) => s.startRun);
  const invalid = useApp((s) => s.problems.length > 0);
  return (
    <p className="stale-note" role="status" data-testid="stale-note">
      <span>
        <strong>Out of date:</strong> these results were made with the settings before your edit.
      </span>
      <button type="button" onClick={startRun} disabled={invalid}>
        Run with the new settings
      </button>
    </p>
  );
}

export function App() {
  const togglePause = useApp((s) => s.togglePause);
  const lecture = useApp((s) => s.lecture);
  const hidden = useApp((s) => s.hidden);
  const show = (part: string) => !isHidden(hidden, part);
  const stepRun = useApp((s) => s.stepRun);
  const hasResearch = useApp((s) => s.run.charts.length > 0);
  const stale = useApp((s) => s.run.stages.length > 0 && !resultsAreCurrent(s.run, s.draft));
  const [settingsOpen, setSettingsOpen] = useState(false);

  // Keyboard: space runs or pauses, "s" steps to the next measurement (never a key that a focused field or button owns).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (keyBelongsToFocus(event)) return;
      if (event.key === ' ') {
        event.preventDefault();
        togglePause();
      } else if (event.key === 's' || event.key === 'S') {
        stepRun();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePause, stepRun]);

  const detail = useApp((s) => viewOf(s.run, s.draft.kind).detail);
  const right = detail === 'language' ? show('language') : show('matrix') || show('examples') || show('inside');
  const layout = ['layout', show('config') ? '' : 'no-config', right ? '' : 'no-right', stale ? 'results-stale' : ''].filter(Boolean).join(' ');
  return (
    <div className={lecture ? 'app lecture' : 'app'}>
      <Header />
      <NoticeBanner />
      <CustomDataNotice />
      <ErrorBanner />
      <RunBlockedBanner />
      <main className={layout}>
        {show('config') && (
          <aside className={settingsOpen ? 'column config-column open' : 'column config-column'} aria-label="Experiment settings">
            <button
              type="button"
              className="settings-toggle"
              aria-expanded={settingsOpen}
              onClick={() => setSettingsOpen(!settingsOpen)}
              data-testid="settings-toggle"
            >
              {settingsOpen ? '▾' : '▸'} Experiment settings
            </button>
            <ConfigPanel />
          </aside>
        )}
        <div className={hasResearch && show('research') ? 'column center-column with-research' : 'column center-column'}>
          {stale && <StaleNote />}
          {show('summary') && <StageSummary />}
          {show('research') && <ResearchPanel />}
          {show('curves') && <CurvesPanel />}
        </div>
        {right && (
          <div className="column right-column">
            {detail === 'language' ? (
              <Suspense fallback={<p className="muted">Loading the language lab…</p>}>
                <LanguageLab />
              </Suspense>
            ) : (
              <>
                {show('matrix') && <MatrixPanel />}
                {show('examples') && <ExamplesPanel />}
                {show('inside') && <LookInsidePanel />}
              </>
            )}
          </div>
        )}
      </main>
    </div>
  );
}
