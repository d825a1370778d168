import { useApp } from '../store/context';

/** Problems of the current run, in words; the results already on screen stay. */
export function ErrorBanner() {
  const error = useApp((s) => s.run.error);
  const status = useApp((s) => s.run.status);
  const reset = useApp((s) => s.resetRun);
  if (status !== 'error' || !error) return null;
  return (
    <div className="banner error" role="alert" data-testid="error-banner">
      {/* A crash's message says so itself ("The training worker crashed: ..."). */}
      {error.kind !== 'crash' && <strong>{error.kind === 'divergence' ? 'Training diverged.' : 'The run stopped.'}</strong>} {error.message}
      {error.problems && (
        <ul>
          {error.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <button type="button" onClick={reset} data-testid="rerun-button">
        {error.kind === 'crash' ? 'Run again in a new worker' : 'Run again'}
      </button>
    </div>
  );
}

/** Why Run did not start (an invalid form reached by the keyboard, a worker that could not start). */
export function RunBlockedBanner() {
  const blocked = useApp((s) => s.runBlocked);
  const dismiss = useApp((s) => s.dismissRunBlocked);
  if (!blocked) return null;
  return (
    <div className="banner error" role="alert" data-testid="run-blocked">
      <strong>Not started.</strong> {blocked}
      <button type="button" onClick={dismiss} aria-label="Dismiss">
        OK
      </button>
    </div>
  );
}
