import { lazy, Suspense, useState } from 'react';
import { BACKENDS } from '../../core/backend-names';
import { isHidden } from '../hidden';
import { encodeLink } from '../share/url-codec';
import { ExportMenu } from './ExportMenu';
import { Narrative } from './Narrative';
import { PaperLinks } from './PaperLinks';
import { Glossed } from './Term';
import { PresetGallery } from './PresetGallery';
import { PRESETS } from '../../core/presets';
import { useApp } from '../store/context';
import type { BackendChoice } from '../../worker/protocol';

// Both draw with Recharts, which loads only when one of them is opened.
const RunsPanel = lazy(() => import('./RunsPanel').then((m) => ({ default: m.RunsPanel })));
const SweepPanel = lazy(() => import('./SweepPanel').then((m) => ({ default: m.SweepPanel })));
const StudyPanel = lazy(() => import('./StudyPanel').then((m) => ({ default: m.StudyPanel })));

/** The first presets get a button of their own (plus the one on screen); the gallery has them all. */

const SPEEDS: { label: string; value: number | null }[] = [
  { label: 'full speed', value: null },
  { label: '200 steps/s', value: 200 },
  { label: '50 steps/s', value: 50 },
  { label: '10 steps/s', value: 10 },
];

function RunControls() {
  const status = useApp((s) => s.run.status);
  const problems = useApp((s) => s.problems.length);
  const startRun = useApp((s) => s.startRun);
  const togglePause = useApp((s) => s.togglePause);
  const stopRun = useApp((s) => s.stopRun);
  const stepRun = useApp((s) => s.stepRun);
  const resetRun = useApp((s) => s.resetRun);
  const stepsPerSecond = useApp((s) => s.stepsPerSecond);
  const setSpeed = useApp((s) => s.setSpeed);
  const active = status === 'running' || status === 'paused' || status === 'starting';
  return (
    <div className="controls" role="group" aria-label="Run controls">
      <button
        type="button"
        className="primary"
        onClick={active ? togglePause : startRun}
        disabled={!active && problems > 0}
        title={!active && problems > 0 ? 'Fix the problems listed under the form to run' : 'Space'}
        data-testid="run-button"
      >
        {status === 'running' ? 'Pause' : status === 'paused' ? 'Resume' : active ? 'Starting…' : 'Run'}
      </button>
      <button type="button" onClick={stepRun} disabled={!active} title="Run to the next measurement, then pause (S)">
        Step
      </button>
      <button type="button" onClick={stopRun} disabled={!active} data-testid="stop-button">
        Stop
      </button>
      <button type="button" onClick={resetRun} title="Start again from scratch with the same seed: the same numbers come back">
        Reset
      </button>
      <label className="inline">
        <span>Speed</span>
        <select value={String(stepsPerSecond)} onChange={(e) => setSpeed(e.target.value === 'null' ? null : Number(e.target.value))}>
          {(SPEEDS.some((s) => s.value === stepsPerSecond) ? SPEEDS : [...SPEEDS, { label: `${stepsPerSecond} steps/s`, value: stepsPerSecond }]).map((s) => (
            <option key={s.label} value={String(s.value)}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function BackendPicker() {
  const choice = useApp((s) => s.run.backendChoice);
  const backend = useApp((s) => s.run.backend);
  const setChoice = useApp((s) => s.setBackendChoice);
  return (
    <div className="backend">
      <label className="inline">
        <span>Backend</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value as BackendChoice)} data-testid="backend-select">
          <option value="auto">automatic</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <span className="backend-badge" data-testid="backend-badge" title={backend ? [backend.reason, ...backend.skipped].join('\n') : ''}>
        {backend ? (
          <>
            running on <strong>{backend.name}</strong>
            <span className="backend-reason">
              : <Glossed text={backend.reason} />
            </span>
          </>
        ) : (
          'backend: not started'
        )}
      </span>
    </div>
  );
}

/** Copies a link that reproduces the experiment in the form, with the lecture settings and speed (and starts it when asked). */
function ShareButton() {
  const draft = useApp((s) => s.draft);
  const invalid = useApp((s) => s.problems.length > 0);
  const lecture = useApp((s) => s.lecture);
  const hidden = useApp((s) => s.hidden);
  const speed = useApp((s) => s.stepsPerSecond);
  const [link, setLink] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [autostart, setAutostart] = useState(false);
  const share = () => {
    const hash = encodeLink(draft, { run: autostart, lecture, hide: hidden, speed });
    const url = `${window.location.origin}${window.location.pathname}${hash}`;
    // The address bar shows the link too, so it can be copied by hand where the clipboard is not allowed.
    window.history.replaceState(null, '', hash);
    setLink(url);
    if (navigator.clipboard) {
      navigator.clipboard.writeText(url).then(
        () => setStatus('Link copied'),
        () => setStatus('Copy the link below'),
      );
    } else setStatus('Copy the link below');
  };
  return (
    <div className="share">
      <button
        type="button"
        onClick={share}
        disabled={invalid}
        data-testid="copy-link"
        title="A link that opens this experiment, with the speed and lecture settings"
      >
        Copy link
      </button>
      <label className="inline" title="The link starts the run as soon as it is opened">
        <input type="checkbox" checked={autostart} onChange={(e) => setAutostart(e.target.checked)} data-testid="link-autostart" />
        <span>starts the run</span>
      </label>
      {link && (
        <span className="share-result">
          <span className="share-status">{status}</span>
          <input readOnly value={link} data-testid="share-link" onFocus={(e) => e.target.select()} aria-label="Link to this experiment" />
        </span>
      )}
    </div>
  );
}

export function Header() {
  const presetId = useApp((s) => s.presetId);
  const loadPreset = useApp((s) => s.loadPreset);
  const startRun = useApp((s) => s.startRun);
  const lecture = useApp((s) => s.lecture);
  const setLecture = useApp((s) => s.setLecture);
  const hidden = useApp((s) => s.hidden);
  const [gallery, setGallery] = useState(false);
  const [runsOpen, setRunsOpen] = useState(false);
  const [sweepOpen, setSweepOpen] = useState(false);
  const [studyOpen, setStudyOpen] = useState(false);
  const savedCount = useApp((s) => s.savedRuns.length);
  const story = useApp((s) => s.story);
  const preset = PRESETS.find((p) => p.id === story);
  const show = (part: string) => !isHidden(hidden, part);
  return (
    <header className="top">
      <div className="brand">
        <h1>Distillery</h1>
        <span className="tagline">weak-to-strong generalization &amp; distillation, trained in your browser</span>
      </div>
      {show('presets') && (
        <nav className="presets" aria-label="Presets">
          {PRESETS.filter((p) => p.featured || p.id === presetId).map((p) => (
            <button
              key={p.id}
              type="button"
              className={p.id === presetId ? 'preset active' : 'preset'}
              title={p.lesson}
              data-testid={`preset-${p.id}`}
              onClick={() => {
                loadPreset(p.id);
                startRun();
              }}
            >
              {p.title}
            </button>
          ))}
          <button type="button" className="preset" onClick={() => setGallery(true)} data-testid="open-gallery">
            All experiments…
          </button>
        </nav>
      )}
      {show('controls') && <RunControls />}
      {show('share') && <ShareButton />}
      {show('export') && <ExportMenu />}
      {show('runs') && (
        <button type="button" onClick={() => setRunsOpen(true)} data-testid="open-runs">
          Runs ({savedCount})
        </button>
      )}
      {show('sweep') && (
        <button type="button" onClick={() => setSweepOpen(true)} data-testid="open-sweep">
          Sweep…
        </button>
      )}
      {show('sweep') && (
        <button
          type="button"
          onClick={() => setStudyOpen(true)}
          data-testid="open-study"
          title="Run the experiment over several seeds, along one or two settings"
        >
          Seeds &amp; sweeps…
        </button>
      )}
      <button
        type="button"
        className={lecture ? 'preset active' : 'preset'}
        onClick={() => setLecture(!lecture)}
        aria-pressed={lecture}
        data-testid="lecture-toggle"
        title="Large type and high contrast for a projector"
      >
        Lecture mode
      </button>
      {show('backend') && <BackendPicker />}
      {preset && (
        <p className="lesson" data-testid="lesson">
          <Glossed text={preset.lesson} /> <PaperLinks papers={preset.papers} />
        </p>
      )}
      {lecture && <Narrative />}
      {gallery && <PresetGallery onClose={() => setGallery(false)} />}
      <Suspense fallback={null}>
        {runsOpen && <RunsPanel onClose={() => setRunsOpen(false)} />}
        {sweepOpen && <SweepPanel onClose={() => setSweepOpen(false)} />}
        {studyOpen && <StudyPanel onClose={() => setStudyOpen(false)} />}
      </Suspense>
    </header>
  );
}
