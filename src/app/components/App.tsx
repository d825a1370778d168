import { useEffect } from 'react';
import { useApp } from '../store/context';
import { isHidden } from '../hidden';
import { keyBelongsToFocus } from '../keys';
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

export function App() {
  const togglePause = useApp((s) => s.togglePause);
  const lecture = useApp((s) => s.lecture);
  const hidden = useApp((s) => s.hidden);
  const show = (part: string) => !isHidden(hidden, part);
  const stepRun = useApp((s) => s.stepRun);
  const hasResearch = useApp((s) => s.run.charts.length > 0);

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
          {show('matrix') && <MatrixPanel />}
          {show('examples') && <ExamplesPanel />}
        </div>
      </main>
    </div>
  );
}
