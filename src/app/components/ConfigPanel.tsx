import { useState } from 'react';
import { DATASETS, datasetInfoOf, ENCODER_DESCRIPTIONS, type EncoderKind, type ExperimentConfig, type ExperimentKind } from '../../core/config';
import { fieldSpec, labelOf, variantFields, type FieldSpec } from '../schema-form';
import { isHidden } from '../hidden';
import { getIn, type Path } from '../store/app-store';
import { useApp } from '../store/context';
import { DatasetField } from './DatasetField';
import { Panel } from './Panel';

const MAIN_TRAIN_FIELDS = ['optimizer', 'learningRate', 'epochs', 'batchSize'];
const MORE_TRAIN_FIELDS = ['schedule', 'weightDecay', 'momentum', 'evalEvery', 'patience'];

function problemFor(problems: string[], path: Path): string | undefined {
  const prefix = `${path.join('.')}:`;
  return problems.find((p) => p.startsWith(prefix))?.slice(prefix.length).trim();
}

/** One control, chosen by the schema: number input with its range, or a select. */
function Field({ kind, path, spec, label }: { kind: ExperimentKind; path: Path; spec?: FieldSpec; label?: string }) {
  const value = useApp((s) => getIn(s.draft, path));
  const problems = useApp((s) => s.problems);
  const setField = useApp((s) => s.setField);
  const hidden = useApp((s) => isHidden(s.hidden, path.join('.')));
  const field = spec ?? fieldSpec(kind, path);
  if (hidden) return null;
  const name = label ?? labelOf(String(path[path.length - 1]));
  const problem = problemFor(problems, path);
  const id = `field-${path.join('-')}`;
  let control;
  if (field.kind === 'number') {
    control = (
      <input
        id={id}
        type="number"
        min={field.min}
        max={field.max}
        step={field.integer ? 1 : 'any'}
        value={typeof value === 'number' ? value : ''}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => e.target.value !== '' && setField(path, Number(e.target.value))}
      />
    );
  } else if (field.kind === 'enum') {
    control = (
      <select id={id} value={String(value)} onChange={(e) => setField(path, e.target.value)}>
        {field.options.map((o) => (
          <option key={o} value={o}>
            {path[path.length - 1] === 'dataset' ? (DATASETS as Record<string, { name: string }>)[o]?.name ?? o : o}
          </option>
        ))}
      </select>
    );
  } else return null;
  const range = field.kind === 'number' ? ` (${field.min} to ${field.max})` : '';
  return (
    <div className={`field ${problem ? 'invalid' : ''}`}>
      <label htmlFor={id} title={`${field.help}${range}`}>
        {name}
      </label>
      {control}
      {problem && <span className="field-problem">{problem}</span>}
    </div>
  );
}

/** Says in plain words what the chosen encoder knows: the lesson hangs on it. */
function EncoderNote({ path }: { path: Path }) {
  const encoder = useApp((s) => getIn(s.draft, path)) as EncoderKind;
  return (
    <p className="encoder-note" data-testid="encoder-note">
      Encoder {ENCODER_DESCRIPTIONS[encoder] ?? ''}.
    </p>
  );
}

/** A discriminated-union field (model or loss): a select of its types, then the chosen type's fields. */
function VariantField({ kind, path, label }: { kind: ExperimentKind; path: Path; label: string }) {
  const type = useApp((s) => String(getIn(s.draft, [...path, 'type'])));
  const head = useApp((s) => getIn(s.draft, [...path, 'head']));
  const setVariant = useApp((s) => s.setVariant);
  const hidden = useApp((s) => isHidden(s.hidden, path.join('.')));
  const spec = fieldSpec(kind, path);
  if (spec.kind !== 'variant' || hidden) return null;
  const option = spec.options.find((o) => o.type === type);
  const id = `field-${path.join('-')}-type`;
  return (
    <div className="variant">
      <div className="field">
        <label htmlFor={id} title={spec.help}>
          {label}
        </label>
        <select id={id} value={type} onChange={(e) => setVariant(path, e.target.value)}>
          {spec.options.map((o) => (
            <option key={o.type} value={o.type}>
              {o.type}
            </option>
          ))}
        </select>
      </div>
      {option && <p className="variant-help">{option.help}</p>}
      {variantFields(kind, path, type)
        // A linear probe has no width.
        .filter(({ key }) => !(key === 'headWidth' && head === 'linear'))
        .map(({ key, spec: fieldSpecOf }) => (
          <Field key={key} kind={kind} path={[...path, key]} spec={fieldSpecOf} />
        ))}
      {type === 'pretrained' && <EncoderNote path={[...path, 'encoder']} />}
    </div>
  );
}

function RoleCard({ kind, role, title, blurb, withLoss }: { kind: ExperimentKind; role: string; title: string; blurb: string; withLoss?: boolean }) {
  const [more, setMore] = useState(false);
  const hidden = useApp((s) => isHidden(s.hidden, role));
  if (hidden) return null;
  return (
    <fieldset className={`role role-${role}`} data-testid={`role-${role}`}>
      <legend>{title}</legend>
      <p className="role-blurb">{blurb}</p>
      <VariantField kind={kind} path={[role, 'model']} label="model" />
      {MAIN_TRAIN_FIELDS.map((key) => (
        <Field key={key} kind={kind} path={[role, 'train', key]} />
      ))}
      <button type="button" className="link" onClick={() => setMore(!more)} aria-expanded={more}>
        {more ? 'fewer settings' : 'more settings'}
      </button>
      {more && MORE_TRAIN_FIELDS.map((key) => <Field key={key} kind={kind} path={[role, 'train', key]} />)}
      {withLoss && <VariantField kind={kind} path={[role, 'loss']} label="loss" />}
    </fieldset>
  );
}

function sizeKeys(config: ExperimentConfig): string[] {
  return config.kind === 'weak-to-strong' ? ['supervisorSize', 'transferSize', 'validationSize', 'testSize'] : ['trainSize', 'labelledSize', 'validationSize', 'testSize'];
}

export function ConfigPanel() {
  const draft = useApp((s) => s.draft);
  const problems = useApp((s) => s.problems);
  const kind = draft.kind;
  const isToy = datasetInfoOf(draft.data).kind === 'toy';
  return (
    <Panel
      title="Experiment"
      testId="config-panel"
      help={
        kind === 'weak-to-strong'
          ? 'A weak supervisor learns from a few labels, then labels data for a strong student. Does the student beat its teacher, or copy its mistakes?'
          : 'A teacher trained on every label passes its knowledge to a small student, including on images the student has no labels for.'
      }
    >
      <div className="config-form">
        <fieldset className="role">
          <legend>Data</legend>
          <DatasetField />
          {sizeKeys(draft).map((key) => (
            <Field key={key} kind={kind} path={['data', key]} />
          ))}
          {isToy && <Field kind={kind} path={['data', 'noise']} />}
          <Field kind={kind} path={['seed']} />
          {kind === 'weak-to-strong' && (
            <>
              <Field kind={kind} path={['weakLabels', 'kind']} label="weak labels" />
              <Field kind={kind} path={['weakLabels', 'temperature']} label="label temperature" />
            </>
          )}
        </fieldset>
        {kind === 'weak-to-strong' ? (
          <>
            <RoleCard kind={kind} role="supervisor" title="Weak supervisor" blurb="Learns from split A with ground truth, then labels split B." />
            <RoleCard kind={kind} role="student" title="Strong student" blurb="Trained on split B twice: with ground truth (the ceiling) and with the weak labels (the student)." withLoss />
          </>
        ) : (
          <>
            <RoleCard kind={kind} role="teacher" title="Teacher" blurb="Trained with ground truth on every training image." />
            <RoleCard kind={kind} role="student" title="Student" blurb="Trained on its labelled images alone (baseline), then distilled from the teacher." withLoss />
          </>
        )}
        {problems.length > 0 && (
          <div className="problems" role="alert" data-testid="config-problems">
            <strong>Fix these to run:</strong>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </Panel>
  );
}
