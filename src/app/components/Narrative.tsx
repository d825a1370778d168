import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentConfig } from '../../core/config/schema';
import { captionCue, captionText, type Caption } from '../../core/experiments/narration';
import { PRESETS } from '../../core/presets';
import { resultsAreCurrent, runFacts } from '../derived';
import { captionStep, keyBelongsToFocus } from '../keys';
import type { RunState } from '../store/run-state';
import { useApp } from '../store/context';

/** The last caption whose cue (a stage starting or ending) this run has reached; -1 for none. */
export function reachedCaption(captions: readonly Caption[], run: RunState, config: ExperimentConfig): number {
  if (run.status === 'starting' || run.status === 'idle') return -1;
  for (let i = captions.length - 1; i >= 0; i--) {
    const cue = captionCue(captions[i], config);
    const stage = cue && run.stages.find((s) => s.name === cue.stage);
    if (stage && (cue.at === 'end' ? stage.status === 'done' : stage.status !== 'waiting')) return i;
  }
  return -1;
}

/**
 * Lecture mode: the preset's story, a caption at a time, with the run's own numbers. The captions follow the run
 * (each comes up as its stage starts or ends) and step with the keys a presentation clicker sends (PageDown,
 * PageUp, arrows, N and P); a caption stepped back to stays until the run reaches the next one.
 */
export function Narrative() {
  const story = useApp((s) => s.story);
  const captions = useMemo(() => PRESETS.find((p) => p.id === story)?.narrative ?? [], [story]);
  const run = useApp((s) => s.run);
  const draft = useApp((s) => s.draft);
  const facts = useMemo(() => runFacts(run, draft), [run, draft]);
  const [index, setIndex] = useState(0);
  const [follow, setFollow] = useState(true);
  const lastCue = useRef(-1);
  const reached = resultsAreCurrent(run, draft) ? reachedCaption(captions, run, draft) : -1;

  useEffect(() => {
    setIndex(0);
    lastCue.current = -1;
  }, [story, run.runId]);

  useEffect(() => {
    if (follow && reached > lastCue.current) setIndex(reached);
    lastCue.current = Math.max(lastCue.current, reached);
  }, [reached, follow]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const step = captionStep(event.key);
      if (step === 0 || keyBelongsToFocus(event)) return;
      event.preventDefault();
      setIndex((i) => Math.min(captions.length - 1, Math.max(0, i + step)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [captions.length]);

  if (captions.length === 0) return null;
  const shown = Math.min(index, captions.length - 1);
  return (
    <div className="narrative" data-testid="narrative" role="region" aria-label="Captions">
      <button
        type="button"
        onClick={() => setIndex(Math.max(0, shown - 1))}
        disabled={shown === 0}
        aria-label="Previous caption"
        title="Previous caption (PageUp, ←, P)"
      >
        ‹
      </button>
      <span className="narrative-step" data-testid="narrative-step">
        {shown + 1}/{captions.length}
      </span>
      <p aria-live="polite" data-testid="caption">
        {captionText(captions[shown], facts)}
      </p>
      <button
        type="button"
        onClick={() => setIndex(Math.min(captions.length - 1, shown + 1))}
        disabled={shown === captions.length - 1}
        aria-label="Next caption"
        title="Next caption (PageDown, →, N)"
      >
        ›
      </button>
      <label className="narrative-follow" title="Bring up each caption as the run reaches its stage">
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="follow-run" /> follow the run
      </label>
    </div>
  );
}
