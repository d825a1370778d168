import { useEffect } from 'react';
import { useApp } from '../store/context';
import { ConfigPanel } from './ConfigPanel';
import { CurvesPanel } from './CurvesPanel';
import { ErrorBanner } from './ErrorBanner';
import { ExamplesPanel } from './ExamplesPanel';
import { Header } from './Header';
import { MatrixPanel } from './MatrixPanel';
import { NoticeBanner } from './NoticeBanner';
import { StageSummary } from './StageSummary';

export function App() {
  const togglePause = useApp((s) => s.togglePause);
  const stepRun = useApp((s) => s.stepRun);

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
    <div className="app">
      <Header />
      <NoticeBanner />
      <ErrorBanner />
      <main className="layout">
        <aside className="column config-column">
          <ConfigPanel />
        </aside>
        <div className="column center-column">
          <StageSummary />
          <CurvesPanel />
        </div>
        <div className="column right-column">
          <MatrixPanel />
          <ExamplesPanel />
        </div>
      </main>
    </div>
  );
}
