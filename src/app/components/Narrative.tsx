import { useEffect, useMemo, useState } from 'react';
import { captionText } from '../../core/experiments/narration';
import { PRESETS } from '../../core/presets';
import { runFacts } from '../derived';
import { useApp } from '../store/context';

/** Lecture mode: the preset's story, a caption at a time, clicked through while the run plays. */
export function Narrative() {
  const presetId = useApp((s) => s.presetId);
  const captions = PRESETS.find((p) => p.id === presetId)?.narrative ?? [];
  const run = useApp((s) => s.run);
  const draft = useApp((s) => s.draft);
  const facts = useMemo(() => runFacts(run, draft), [run, draft]);
  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [presetId]);
  if (captions.length === 0) return null;
  return (
    <div className="narrative" data-testid="narrative" aria-live="polite">
      <button type="button" onClick={() => setIndex(Math.max(0, index - 1))} disabled={index === 0} aria-label="Previous caption">
        ‹
      </button>
      <span className="narrative-step">
        {index + 1}/{captions.length}
      </span>
      <p>{captionText(captions[index], facts)}</p>
      <button
        type="button"
        onClick={() => setIndex(Math.min(captions.length - 1, index + 1))}
        disabled={index === captions.length - 1}
        aria-label="Next caption"
      >
        ›
      </button>
    </div>
  );
}
