import { useState } from 'react';
import { CUSTOM_DATASET, customOf, datasetInfoOf, sourceName } from '../../core/config/datasets';
import type { ExperimentConfig } from '../../core/config/schema';
import { acceptsCustomData } from '../../core/data/custom';
import { applyRowsToForm } from '../custom-data/apply';
import { rowsKey } from '../custom-data/data-store';
import { fieldSpec } from '../schema-form';
import { useApp } from '../store/context';
import { CustomDataSheet } from './CustomDataSheet';

const CUSTOM_PREFIX = `${CUSTOM_DATASET}:`;

/** The shipped datasets (or corpora) an experiment's schema accepts, in the schema's order. */
function shippedChoices(kind: ExperimentConfig['kind']): string[] {
  const field = fieldSpec(kind, ['data', 'dataset']);
  return field.kind === 'enum' ? field.options.filter((id) => id !== CUSTOM_DATASET) : [];
}

/**
 * The data select: the shipped datasets, then every dataset of the visitor's own read in this tab, and a button
 * that opens the sheet to read a CSV or draw points.
 */
export function DatasetField() {
  const draft = useApp((s) => s.draft);
  const setField = useApp((s) => s.setField);
  const loadConfig = useApp((s) => s.loadConfig);
  const addCustomRows = useApp((s) => s.addCustomRows);
  const showNotices = useApp((s) => s.showNotices);
  const loaded = useApp((s) => s.customData.rows);
  const [open, setOpen] = useState(false);
  const custom = draft.data.dataset === CUSTOM_DATASET ? customOf(draft) : undefined;
  const current = custom ? `${CUSTOM_PREFIX}${rowsKey(custom.sha256, custom.label)}` : draft.data.dataset;
  const options = [
    // What this experiment's schema offers (a language experiment reads a corpus, not a dataset).
    ...shippedChoices(draft.kind).map((id) => ({ value: id, label: sourceName(id) })),
    // Only for experiments that can take them (the sheet explains why the others cannot).
    ...(acceptsCustomData(draft.kind)
      ? Object.entries(loaded).map(([key, entry]) => ({
          value: `${CUSTOM_PREFIX}${key}`,
          label: `your data: ${entry.name} (label "${entry.rows.labelColumn}")`,
        }))
      : []),
  ];
  if (custom && !options.some((o) => o.value === current)) options.push({ value: current, label: `your data: ${custom.name} (not loaded)` });

  const choose = (value: string) => {
    if (value.startsWith(CUSTOM_PREFIX)) {
      const entry = loaded[value.slice(CUSTOM_PREFIX.length)];
      const refused = entry ? applyRowsToForm({ draft, loadConfig, addCustomRows }, entry.name, entry.rows) : null;
      if (refused) showNotices([refused]);
      return;
    }
    // A shipped dataset: the description of the visitor's file goes.
    const { custom: _dropped, ...data } = draft.data as ExperimentConfig['data'] & { custom?: unknown };
    setField(['data'], { ...data, dataset: value });
  };

  return (
    <>
      <div className="field">
        <label htmlFor="field-data-dataset" title={fieldSpec(draft.kind, ['data', 'dataset']).help}>
          dataset
        </label>
        <select id="field-data-dataset" value={current} onChange={(e) => choose(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {/* A text corpus has no CSV counterpart: a language experiment reads only its own corpus. */}
      {datasetInfoOf(draft.data).kind !== 'text' && (
        <button
          type="button"
          className="link"
          onClick={() => setOpen(true)}
          data-testid="open-custom-data"
          title="Upload a CSV or draw 2-D points; the data stays in this browser"
        >
          Your own data…
        </button>
      )}
      {custom && (
        <p className="custom-current" data-testid="custom-current">
          {custom.rows} rows, {custom.features} features, {custom.classes} classes; label "{custom.label}"; SHA-256{' '}
          <code title={custom.sha256}>{custom.sha256.slice(0, 12)}…</code>
        </p>
      )}
      {open && <CustomDataSheet onClose={() => setOpen(false)} />}
    </>
  );
}
