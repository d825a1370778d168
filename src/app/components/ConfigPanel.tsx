import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import { DATASETS, datasetInfoOf, ENCODER_DESCRIPTIONS, schemaAt, type EncoderKind, type ExperimentKind } from '../../core/config';
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

/** One control, chosen by the schema: number input with its range (and a slider when asked), or a select. */
function Field({ kind, path, spec, label, slider }: { kind: ExperimentKind; path: Path; spec?: FieldSpec; label?: string; slider?: boolean }) {
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
    if (slider && Number.isFinite(field.min) && Number.isFinite(field.max)) {
      control = (
        <>
          {control}
          <input
            className="field-slider"
            type="range"
            aria-label={name}
            data-testid={`slider-${path.join('-')}`}
            min={field.min}
            max={field.max}
            step={field.integer ? 1 : (field.max - field.min) / 100}
            value={typeof value === 'number' ? value : field.min}
            onChange={(e) => setField(path, Number(e.target.value))}
          />
        </>
      );
    }
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

/** Training settings (a TrainSpec) at `path`: the main ones, the rest behind "more settings". */
function TrainFields({ kind, path }: { kind: ExperimentKind; path: Path }) {
  const [more, setMore] = useState(false);
  return (
    <>
      {MAIN_TRAIN_FIELDS.map((key) => (
        <Field key={key} kind={kind} path={[...path, key]} />
      ))}
      <button type="button" className="link" onClick={() => setMore(!more)} aria-expanded={more}>
        {more ? 'fewer settings' : 'more settings'}
      </button>
      {more && MORE_TRAIN_FIELDS.map((key) => <Field key={key} kind={kind} path={[...path, key]} />)}
    </>
  );
}

function RoleCard({ kind, role, title, blurb, withLoss, withModel = true, withTrain = true, lead, actions }: { kind: ExperimentKind; role: Path | string; title: string; blurb: string; withLoss?: boolean; withModel?: boolean; withTrain?: boolean; lead?: ReactNode; actions?: ReactNode }) {
  const path = typeof role === 'string' ? [role] : role;
  const name = path.join('-');
  const hidden = useApp((s) => isHidden(s.hidden, path.join('.')));
  if (hidden) return null;
  return (
    <fieldset className={`role role-${name}`} data-testid={`role-${name}`}>
      <legend>{title}</legend>
      <p className="role-blurb">{blurb}</p>
      {lead}
      {withModel && <VariantField kind={kind} path={[...path, 'model']} label="model" />}
      {withTrain && <TrainFields kind={kind} path={[...path, 'train']} />}
      {withLoss && <VariantField kind={kind} path={[...path, 'loss']} label="loss" />}
      {actions}
    </fieldset>
  );
}

/** The data section's size fields, in the order people read them; noise and the dataset are drawn apart. */
function sizeKeys(kind: ExperimentKind): string[] {
  const found = schemaAt(kind, ['data']);
  const shape = found?.inner instanceof z.ZodObject ? Object.keys(found.inner.shape) : [];
  const first = ['supervisorSize', 'transferSize', 'teacherSize', 'trainSize', 'labelledSize', 'probeSize'];
  const sizes = shape.filter((key) => key !== 'dataset' && key !== 'noise' && key !== 'custom');
  return [...first.filter((k) => sizes.includes(k)), ...sizes.filter((k) => !first.includes(k))];
}

/** A section of plain settings (an object of numbers, choices and variants), drawn from the schema. */
function SettingsCard({ kind, path, title, blurb }: { kind: ExperimentKind; path: Path; title: string; blurb?: string }) {
  const hidden = useApp((s) => isHidden(s.hidden, path.join('.')));
  const found = schemaAt(kind, path);
  if (hidden || !(found?.inner instanceof z.ZodObject)) return null;
  return (
    <fieldset className={`role role-${path.join('-')}`} data-testid={`role-${path.join('-')}`}>
      <legend>{title}</legend>
      {blurb && <p className="role-blurb">{blurb}</p>}
      {Object.keys(found.inner.shape).map((key) => {
        const spec = fieldSpec(kind, [...path, key]);
        if (spec.kind === 'variant') return <VariantField key={key} kind={kind} path={[...path, key]} label={labelOf(key)} />;
        return <Field key={key} kind={kind} path={[...path, key]} />;
      })}
    </fieldset>
  );
}

/** A list of numbers (a temperature sweep) typed as "1, 2, 4". */
function NumberListField({ kind, path }: { kind: ExperimentKind; path: Path }) {
  const value = useApp((s) => getIn(s.draft, path));
  const setField = useApp((s) => s.setField);
  const problems = useApp((s) => s.problems);
  const found = schemaAt(kind, path);
  const [text, setText] = useState(Array.isArray(value) ? value.join(', ') : '');
  const id = `field-${path.join('-')}`;
  const problem = problems.find((p) => p.startsWith(path.join('.')));
  return (
    <div className={`field ${problem ? 'invalid' : ''}`}>
      <label htmlFor={id} title={found?.field.description ?? ''}>
        {labelOf(String(path[path.length - 1]))}
      </label>
      <input
        id={id}
        type="text"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const items = e.target.value.split(/[\s,;]+/).filter(Boolean).map(Number);
          setField(path, items);
        }}
      />
      {problem && <span className="field-problem">{problem.slice(problem.indexOf(':') + 1).trim()}</span>}
    </div>
  );
}

/** The chain of a bootstrapping experiment: one card per intermediate model, with add and remove. */
function ChainCards({ kind }: { kind: ExperimentKind }) {
  const chain = useApp((s) => getIn(s.draft, ['chain'])) as unknown[] | undefined;
  const setField = useApp((s) => s.setField);
  const max = 3; // the schema's bound on intermediate links
  const links = Array.isArray(chain) ? chain : [];
  return (
    <>
      {links.map((_, index) => (
        <RoleCard
          key={index}
          kind={kind}
          role={['chain', index]}
          title={`Link ${index + 1}`}
          blurb={index === 0 ? 'Trained on the weak supervisor\'s labels; labels the next link.' : `Trained on link ${index}'s labels; labels the next.`}
          actions={
            links.length > 1 && (
              <button type="button" className="link" onClick={() => setField(['chain'], links.filter((__, i) => i !== index))}>
                remove this link
              </button>
            )
          }
        />
      ))}
      {links.length < max && (
        <button type="button" className="link" data-testid="add-link" onClick={() => setField(['chain'], [...links, structuredClone(links[links.length - 1] ?? {})])}>
          add a link
        </button>
      )}
    </>
  );
}

interface KindLayout {
  help: string;
  /** The cards below the data section, in order. */
  cards: (kind: ExperimentKind) => ReactNode;
  /** Settings shown in the data section beside dataset, sizes and seed. */
  dataExtras?: (kind: ExperimentKind) => ReactNode;
}

/** The weak-to-strong supervisor: a trained model (its model and training) or a synthetic labelling rule. */
function SupervisorCard({ kind }: { kind: ExperimentKind }) {
  const source = useApp((s) => String(getIn(s.draft, ['supervisor', 'source', 'type']) ?? 'trained'));
  const trained = source === 'trained';
  return (
    <RoleCard
      kind={kind}
      role="supervisor"
      title="Weak supervisor"
      blurb={trained ? 'Learns from split A with ground truth, then labels split B.' : 'A labelling rule with known errors: it labels split B, the validation split and the test set (hard labels).'}
      lead={<VariantField kind={kind} path={['supervisor', 'source']} label="labels from" />}
      withModel={trained}
      withTrain={trained}
    />
  );
}

const weakLabelFields = (kind: ExperimentKind) => (
  <>
    <Field kind={kind} path={['weakLabels', 'kind']} label="weak labels" />
    <Field kind={kind} path={['weakLabels', 'temperature']} label="label temperature" />
  </>
);

const LAYOUTS: Record<ExperimentKind, KindLayout> = {
  'weak-to-strong': {
    help: 'A weak supervisor learns from a few labels, then labels data for a strong student. Does the student beat its teacher, or copy its mistakes?',
    dataExtras: weakLabelFields,
    cards: (kind) => (
      <>
        <SupervisorCard kind={kind} />
        <RoleCard kind={kind} role="student" title="Strong student" blurb="Trained on split B twice: with ground truth (the ceiling) and with the weak labels (the student)." withLoss />
      </>
    ),
  },
  distillation: {
    help: 'A teacher trained on every label passes its knowledge to a small student, including on images the student has no labels for.',
    cards: (kind) => (
      <>
        <RoleCard kind={kind} role="teacher" title="Teacher" blurb="Trained with ground truth on every training image." />
        <RoleCard kind={kind} role="student" title="Student" blurb="Trained on its labelled images alone (baseline), then distilled from the teacher." withLoss />
      </>
    ),
  },
  bootstrap: {
    help: 'Bootstrapping: instead of supervising the strong student directly, the weak supervisor teaches a slightly bigger model, which teaches a bigger one, up to the student. Does the chain recover more of the gap than direct supervision?',
    dataExtras: weakLabelFields,
    cards: (kind) => (
      <>
        <RoleCard kind={kind} role="supervisor" title="Weak supervisor" blurb="Learns from split A with ground truth, then labels split B for the first link." />
        <ChainCards kind={kind} />
        <RoleCard kind={kind} role="student" title="Strong student (end of the chain)" blurb="Trained on the last link's labels; also trained on the weak labels directly, and on the truth (the ceiling), for comparison." withLoss />
      </>
    ),
  },
  'loss-study': {
    help: 'The same weak supervisor and strong student, trained three ways: plain cross-entropy, the auxiliary confidence loss and the product loss. Which loss copies the supervisor\'s mistakes least?',
    dataExtras: weakLabelFields,
    cards: (kind) => (
      <>
        <RoleCard kind={kind} role="supervisor" title="Weak supervisor" blurb="Learns from split A with ground truth, then labels split B." />
        <RoleCard kind={kind} role="student" title="Strong student" blurb="Trained on split B with ground truth (the ceiling), then with the weak labels under each loss." />
        <SettingsCard kind={kind} path={['logconf']} title="Auxiliary confidence loss" blurb="Mixes the student's own hardened predictions into the target, with a weight that ramps up." />
        <SettingsCard kind={kind} path={['product']} title="Product loss" blurb="Target proportional to student^b x supervisor^a." />
      </>
    ),
  },
  'kd-variants': {
    help: 'One teacher, one student, four ways to distil: forward KL (Hinton), reverse KL, TAID, and forward KL across temperatures.',
    cards: (kind) => (
      <>
        <RoleCard kind={kind} role="teacher" title="Teacher" blurb="Trained with ground truth on every training image." />
        <RoleCard kind={kind} role="student" title="Student" blurb="Trained on its labelled images alone (baseline), then distilled from the teacher by each method." />
        <fieldset className="role" data-testid="role-kd-settings">
          <legend>Distillation</legend>
          <Field kind={kind} path={['temperature']} />
          <Field kind={kind} path={['alpha']} />
          <NumberListField kind={kind} path={['temperatureSweep']} />
        </fieldset>
        <SettingsCard kind={kind} path={['taid']} title="TAID" blurb="The target moves from the student towards the teacher as training goes." />
      </>
    ),
  },
  'random-teacher': {
    help: 'A teacher that was never trained, a student trained without labels to imitate it, and linear probes of both: does imitating noise teach the student useful features?',
    dataExtras: (kind) => <Field kind={kind} path={['initNearTeacher']} label="start near teacher (eps)" slider />,
    cards: (kind) => (
      <>
        <RoleCard kind={kind} role="teacher" title="Random teacher" blurb="Randomly initialised and frozen." withTrain={false} />
        <fieldset className="role" data-testid="role-random-student">
          <legend>Student</legend>
          <p className="role-blurb">Same architecture, trained to match the teacher's outputs; no labels.</p>
          <Field kind={kind} path={['outputDim']} />
          <Field kind={kind} path={['teacherTemperature']} />
          <Field kind={kind} path={['probeEvery']} />
          <TrainFields kind={kind} path={['student', 'train']} />
        </fieldset>
        <fieldset className="role" data-testid="role-probe">
          <legend>Linear probes</legend>
          <p className="role-blurb">Trained on labelled examples over each model's frozen features.</p>
          <TrainFields kind={kind} path={['probe']} />
        </fieldset>
      </>
    ),
  },
  'teacher-hacking': {
    help: 'An oracle, a teacher fit to a few of its points, and a student distilled from the teacher: on a fixed transfer set the student keeps getting closer to the teacher while drifting from the oracle.',
    cards: (kind) => (
      <>
        <SettingsCard kind={kind} path={['oracle']} title="Oracle" blurb="The ground truth: a random network that gives every input a class distribution." />
        <RoleCard kind={kind} role="teacher" title="Teacher" blurb="Fit to a few points labelled by the oracle: an imperfect proxy." />
        <RoleCard kind={kind} role="student" title="Student" blurb="Distilled from the teacher on a fixed transfer set, and on fresh points every epoch." />
      </>
    ),
  },
};

export function ConfigPanel() {
  const draft = useApp((s) => s.draft);
  const problems = useApp((s) => s.problems);
  const kind = draft.kind;
  const layout = LAYOUTS[kind];
  const isToy = datasetInfoOf(draft.data).kind === 'toy';
  return (
    <Panel title="Experiment" testId="config-panel" help={layout.help}>
      <div className="config-form">
        <fieldset className="role">
          <legend>Data</legend>
          <DatasetField />
          {sizeKeys(kind).map((key) => (
            <Field key={key} kind={kind} path={['data', key]} />
          ))}
          {isToy && <Field kind={kind} path={['data', 'noise']} />}
          <Field kind={kind} path={['seed']} />
          {layout.dataExtras?.(kind)}
        </fieldset>
        {layout.cards(kind)}
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
