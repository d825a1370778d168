/**
 * The language lab: the prompt every model continues (typed by the visitor, checked as the run will read it), and
 * what each model wrote from it, side by side, at the chosen measurement, every character shaded by how surprising
 * the model found it. Loaded only when a language experiment is on screen (components/App.tsx).
 */
import { useMemo, useState } from 'react';
import type { CorpusId } from '../../core/config/datasets';
import type { TextSample } from '../../core/experiments/figures';
import { CORPUS_ALPHABETS } from '../../core/language/alphabet';
import { LANGUAGE_CONTEXT, MAX_PROMPT_LENGTH } from '../../core/language/blocks';
import { preparePrompt } from '../../core/language/prompt';
import { bitsText, latestBits, stageColor } from '../derived';
import { Panel } from '../components/Panel';
import type { StageView } from '../store/run-state';
import { useApp } from '../store/context';
import { samplesAt, sampleSteps } from './samples';
import { SampleText, SURPRISING_BITS } from './SampleText';
import './language-lab.css';

function PromptEditor() {
  const draft = useApp((s) => s.draft);
  const setField = useApp((s) => s.setField);
  const runPrompt = useApp((s) => (s.run.config && 'sampling' in s.run.config ? s.run.config.sampling.prompt : null));
  const sampling = 'sampling' in draft ? draft.sampling : null;
  const corpus = (draft.data.dataset in CORPUS_ALPHABETS ? draft.data.dataset : 'austen') as CorpusId;
  const [cutNote, setCutNote] = useState<string | null>(null);
  const prepared = useMemo(() => (sampling ? preparePrompt(sampling.prompt, CORPUS_ALPHABETS[corpus], LANGUAGE_CONTEXT) : null), [sampling, corpus]);
  if (!sampling || !prepared) return null;
  const onChange = (text: string) => {
    // A paste longer than a config keeps is cut here, so the form never holds a value the schema refuses.
    setCutNote(text.length > MAX_PROMPT_LENGTH ? `Only the first ${MAX_PROMPT_LENGTH.toLocaleString('en')} characters of what you pasted were kept.` : null);
    setField(['sampling', 'prompt'], text.slice(0, MAX_PROMPT_LENGTH));
  };
  return (
    <div className="prompt-editor">
      <label htmlFor="language-prompt">Prompt: every model continues it</label>
      <textarea
        id="language-prompt"
        data-testid="prompt-input"
        rows={2}
        value={sampling.prompt}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className="prompt-read" data-testid="prompt-read">
        The models read: <q>{prepared.text}</q>
      </div>
      {[...(cutNote ? [cutNote] : []), ...prepared.notes].map((note) => (
        <p key={note} className="prompt-note" data-testid="prompt-note" role="status">
          {note}
        </p>
      ))}
      {runPrompt !== null && runPrompt !== sampling.prompt && <p className="prompt-note">Run again to see the models continue this prompt.</p>}
    </div>
  );
}

function WritingCard({ stage, sample }: { stage: StageView; sample: TextSample | undefined }) {
  return (
    <article className="writing-card" data-testid={`writing-${stage.name}`} style={{ borderLeftColor: stageColor(stage.name) }}>
      <header>
        <span className="writing-label" style={{ color: stageColor(stage.name) }}>
          {stage.label}
        </span>
        <span className="writing-meta">
          {sample ? `step ${sample.step}` : 'not yet written'} · {bitsText(latestBits(stage), 2)} bits/char
        </span>
      </header>
      {sample ? <SampleText sample={sample} /> : <p className="muted">Writes at its first measurement.</p>}
    </article>
  );
}

export function LanguageLab() {
  const stages = useApp((s) => s.run.stages);
  const samples = useApp((s) => s.run.samples);
  const steps = useMemo(() => sampleSteps(samples), [samples]);
  const [chosen, setChosen] = useState<number | null>(null);
  const step = chosen !== null && steps.includes(chosen) ? chosen : null;
  const shown = useMemo(() => samplesAt(samples, step), [samples, step]);
  return (
    <Panel
      title="Writing"
      testId="language-lab"
      className="language-lab"
      help={`What each model writes after the prompt, from the same random draws, at each measurement. The darker a character, the more it surprised the model that read or wrote it (bits: -log2 of the probability the model gave it); bold: over ${SURPRISING_BITS} bits.`}
      actions={
        steps.length > 1 && (
          <label className="inline">
            <span>at step</span>
            <select
              value={step === null ? 'latest' : String(step)}
              onChange={(e) => setChosen(e.target.value === 'latest' ? null : Number(e.target.value))}
              data-testid="writing-step"
            >
              <option value="latest">latest</option>
              {steps.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      <PromptEditor />
      {stages.length === 0 ? (
        <p className="muted">Press Run: the teacher writes first, then each student at every measurement.</p>
      ) : (
        <div className="writing-grid">
          {stages.map((stage) => (
            <WritingCard key={stage.name} stage={stage} sample={shown.get(stage.name)} />
          ))}
        </div>
      )}
    </Panel>
  );
}
