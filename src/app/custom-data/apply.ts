/** Switching the experiment in the form to the visitor's own data. */
import type { ExperimentConfig } from '../../core/config/schema';
import type { CustomRows } from '../../core/data/csv';
import { describeCustomRows, fitConfigToCustomData } from '../../core/data/custom';
import type { AppState } from '../store/app-store';
import { addRows } from './data-store';

/** What a dataset holds, in a line: rows, features, classes with their counts. */
export function summariseRows(rows: CustomRows): string {
  const counts = new Array<number>(rows.classNames.length).fill(0);
  for (const label of rows.y) counts[label]++;
  const shown = rows.classNames.slice(0, 8).map((name, i) => `${name} (${counts[i]})`);
  const more = rows.classNames.length > 8 ? `, and ${rows.classNames.length - 8} more` : '';
  return `${rows.count} rows, ${rows.featureNames.length} feature column${rows.featureNames.length === 1 ? '' : 's'}, ${rows.classNames.length} classes: ${shown.join(', ')}${more}`;
}

/**
 * Puts the rows in this tab's memory and the form's config on them: split sizes fitted to the rows, models that
 * need images or an encoder replaced. Says what changed in the notice line.
 */
export function applyRowsToForm(app: Pick<AppState, 'draft' | 'loadConfig' | 'setField'>, name: string, rows: CustomRows): void {
  addRows(name, rows);
  const fitted = fitConfigToCustomData(app.draft as ExperimentConfig, describeCustomRows(rows, name));
  const notices = [
    `Now using your data "${name}" (${summariseRows(rows)}). It stays in this browser; a link to this experiment names the file and its SHA-256 hash.`,
    ...(fitted.changes.length ? [`Adjusted to fit it: ${fitted.changes.join('; ')}.`] : []),
  ];
  if (fitted.problems.length === 0) app.loadConfig(fitted.config, notices);
  else app.setField([], fitted.config);
}
