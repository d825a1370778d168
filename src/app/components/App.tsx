import { lazy, Suspense, useEffect } from 'react';
import { viewOf } from '../derived';
import { useApp } from '../store/context';
import { isHidden } from '../hidden';
import { ConfigPanel } from './ConfigPanel';
import { CurvesPanel } from './CurvesPanel';
import { CustomDataNotice } from './CustomDataNotice';
import { ErrorBanner, RunBlockedBanner } from './ErrorBanner';
import { ExamplesPanel } from './ExamplesPanel';
import { Header } from './Header';
import { MatrixPanel } from './MatrixPanel';
import { NoticeBanner } from './NoticeBanner';
import { ResearchPanel } from './ResearchPanel';
import { StageSummary } from './StageSummary';

// The language lab (prompt, writing side by side) loads only when a language experiment is on screen.
const LanguageLab = lazy(() => import('../language/LanguageLab').then((m) => ({ default: m.LanguageLab })));

export function App() {
  const togglePause = useApp((s) => s.togglePause);
  const lecture = useApp((s) => s.lecture);
  const hidden = useApp((s) => s.hidden);
  const show = (part: string) => !isHidden(hidden, part);
  const stepRun = useApp((s) => s.stepRun);
  const hasResearch = useApp((s) => s.run.charts.length > 0);
  const detail = useApp((s) => viewOf(s.run, s.draft.kind).detail);

  // Keyboard: space runs or pauses, "s" steps to the next measurement (not while typing in a field).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea, [contenteditable]')) return;
      if (event.key === ' ') {
        event.preventDefault();
        togglePause();
      } else if (event.key === 's' && !event.ctrlKey && !event.metaKey) {
        stepRun();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePause, stepRun]);

  return (
    <div className={lecture ? 'app lecture' : 'app'}>
      <Header />
      <NoticeBanner />
      <CustomDataNotice />
      <ErrorBanner />
      <RunBlockedBanner />
      <main className={show('config') ? 'layout' : 'layout no-config'}>
        {show('config') && (
          <aside className="column config-column">
            <ConfigPanel />
          </aside>
        )}
        <div className={hasResearch && show('research') ? 'column center-column with-research' : 'column center-column'}>
          {show('summary') && <StageSummary />}
          {show('curves') && <CurvesPanel />}
          {show('research') && <ResearchPanel />}
        </div>
        <div className="column right-column">
          {detail === 'language' ? (
            show('language') && (
              <Suspense fallback={<p className="muted">Loading the language lab…</p>}>
                <LanguageLab />
              </Suspense>
            )
          ) : (
            <>
              {show('matrix') && <MatrixPanel />}
              {show('examples') && <ExamplesPanel />}
            </>
          )}
        </div>
      </main>
    </div>
  );
}
