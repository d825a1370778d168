import { define } from '../glossary';
import { Glossed, Term } from './Term';
import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import { DATASETS, datasetInfoOf, ENCODER_DESCRIPTIONS, type EncoderKind } from '../../core/config/datasets';
import { schemaAt } from '../../core/config/introspect';
import type { FormCard, FormField } from '../../core/experiments/kind';
import { kindSpec, type ExperimentKind } from '../../core/experiments/kinds';
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
  return problems
    .find((p) => p.startsWith(prefix))
    ?.slice(prefix.length)
    .trim();
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
            {path[path.length - 1] === 'dataset' ? ((DATASETS as Record<string, { name: string }>)[o]?.name ?? o) : o}
          </option>
        ))}
      </select>
    );
  } else return null;
  const range = field.kind === 'number' ? ` (${field.min} to ${field.max})` : '';
  // A value that is jargon in itself (frozen, soft) says what it means under the menu.
  const meaning = field.kind === 'enum' ? define(String(value)) : undefined;
  return (
    <div className={`field ${problem ? 'invalid' : ''}`}>
      <label htmlFor={id} title={`${field.help}${range}`}>
        <Term name={name}>{name}</Term>
      </label>
      {control}
      {meaning && (
        <span className="field-meaning">
          {String(value)}: {meaning}
        </span>
      )}
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
      {option && (
        <p className="variant-help">
          <Glossed text={option.help} />
        </p>
      )}
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

function RoleCard({
  kind,
  role,
  title,
  blurb,
  withLoss,
  withModel = true,
  withTrain = true,
  lead,
  actions,
}: {
  kind: ExperimentKind;
  role: Path | string;
  title: string;
  blurb: string;
  withLoss?: boolean;
  withModel?: boolean;
  withTrain?: boolean;
  lead?: ReactNode;
  actions?: ReactNode;
}) {
  const path = typeof role === 'string' ? [role] : role;
  const name = path.join('-');
  const hidden = useApp((s) => isHidden(s.hidden, path.join('.')));
  if (hidden) return null;
  return (
    <fieldset className={`role role-${name}`} data-testid={`role-${name}`}>
      <legend>{title}</legend>
      <p className="role-blurb">
        <Glossed text={blurb} />
      </p>
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
      {blurb && (
        <p className="role-blurb">
          <Glossed text={blurb} />
        </p>
      )}
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
          const items = e.target.value
            .split(/[\s,;]+/)
            .filter(Boolean)
            .map(Number);
          setField(path, items);
        }}
      />
      {problem && <span className="field-problem">{problem.slice(problem.indexOf(':') + 1).trim()}</span>}
    </div>
  );
}

/** The chain of a bootstrapping experiment: one card per intermediate model, with add and remove. */
function ChainCards({ kind, path, max }: { kind: ExperimentKind; path: string; max: number }) {
  const chain = useApp((s) => getIn(s.draft, [path])) as unknown[] | undefined;
  const setField = useApp((s) => s.setField);
  const links = Array.isArray(chain) ? chain : [];
  return (
    <>
      {links.map((_, index) => (
        <RoleCard
          key={index}
          kind={kind}
          role={[path, index]}
          title={`Link ${index + 1}`}
          blurb={index === 0 ? "Trained on the weak supervisor's labels; labels the next link." : `Trained on link ${index}'s labels; labels the next.`}
          actions={
            links.length > 1 && (
              <button
                type="button"
                className="link"
                onClick={() =>
                  setField(
                    [path],
                    links.filter((__, i) => i !== index),
                  )
                }
              >
                remove this link
              </button>
            )
          }
        />
      ))}
      {links.length < max && (
        <button
          type="button"
          className="link"
          data-testid="add-link"
          onClick={() => setField([path], [...links, structuredClone(links[links.length - 1] ?? {})])}
        >
          add a link
        </button>
      )}
    </>
  );
}

/** A role whose labels may come from a rule instead of a model: the model and its training show only for a trained one. */
function SourcedRoleCard({ kind, card }: { kind: ExperimentKind; card: Extract<FormCard, { type: 'role' }> & { source: object } }) {
  const source = useApp((s) => String(getIn(s.draft, [card.role, 'source', 'type']) ?? 'trained'));
  const trained = source === 'trained';
  return (
    <RoleCard
      kind={kind}
      role={card.role}
      title={card.title}
      blurb={trained ? card.blurb : card.source.blurbWithoutModel}
      lead={<VariantField kind={kind} path={[card.role, 'source']} label={card.source.label} />}
      withModel={trained && card.model !== false}
      withTrain={trained && card.train !== false}
      withLoss={card.loss}
    />
  );
}

/** One field of a kind's form layout, by its control. */
function LayoutField({ kind, field }: { kind: ExperimentKind; field: FormField }) {
  switch (field.control) {
    case 'train':
      return <TrainFields kind={kind} path={field.path} />;
    case 'list':
      return <NumberListField kind={kind} path={field.path} />;
    default:
      return <Field kind={kind} path={field.path} label={field.label} slider={field.control === 'slider'} />;
  }
}

/** One card of a kind's form layout (experiments/<kind>/spec.ts). */
function LayoutCard({ kind, card }: { kind: ExperimentKind; card: FormCard }) {
  switch (card.type) {
    case 'role':
      if (card.source) return <SourcedRoleCard kind={kind} card={{ ...card, source: card.source }} />;
      return (
        <RoleCard
          kind={kind}
          role={card.role}
          title={card.title}
          blurb={card.blurb}
          withLoss={card.loss}
          withModel={card.model !== false}
          withTrain={card.train !== false}
        />
      );
    case 'settings':
      return <SettingsCard kind={kind} path={card.path} title={card.title} blurb={card.blurb} />;
    case 'chain':
      return <ChainCards kind={kind} path={card.path} max={card.max} />;
    case 'fields':
      return (
        <fieldset className="role" data-testid={`role-${card.id}`}>
          <legend>{card.title}</legend>
          {card.blurb && <p className="role-blurb">{card.blurb}</p>}
          {card.fields.map((field) => (
            <LayoutField key={field.path.join('.')} kind={kind} field={field} />
          ))}
        </fieldset>
      );
  }
}

export function ConfigPanel() {
  const draft = useApp((s) => s.draft);
  const problems = useApp((s) => s.problems);
  const kind = draft.kind;
  const spec = kindSpec(kind);
  const isToy = datasetInfoOf(draft.data).kind === 'toy';
  return (
    <Panel title="Experiment" testId="config-panel" help={spec.help}>
      <div className="config-form">
        <fieldset className="role">
          <legend>Data</legend>
          <DatasetField />
          {sizeKeys(kind).map((key) => (
            <Field key={key} kind={kind} path={['data', key]} />
          ))}
          {isToy && <Field kind={kind} path={['data', 'noise']} />}
          <Field kind={kind} path={['seed']} />
          {spec.form.dataExtras?.map((field) => (
            <LayoutField key={field.path.join('.')} kind={kind} field={field} />
          ))}
        </fieldset>
        {spec.form.cards.map((card, i) => (
          <LayoutCard key={i} kind={kind} card={card} />
        ))}
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
