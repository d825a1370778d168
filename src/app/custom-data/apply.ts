/** Switching the experiment in the form to the visitor's own data. */
import type { ExperimentConfig } from '../../core/config/schema';
import type { CustomRows } from '../../core/data/csv';
import { describeCustomRows, fitConfigToCustomData } from '../../core/data/custom';
import type { AppState } from '../store/app-store';

/** What a dataset holds, in a line: rows, features, classes with their counts. */
export function summariseRows(rows: CustomRows): string {
  const counts = new Array<number>(rows.classNames.length).fill(0);
  for (const label of rows.y) counts[label]++;
  const shown = rows.classNames.slice(0, 8).map((name, i) => `${name} (${counts[i]})`);
  const more = rows.classNames.length > 8 ? `, and ${rows.classNames.length - 8} more` : '';
  return `${rows.count} rows, ${rows.featureNames.length} feature column${rows.featureNames.length === 1 ? '' : 's'}, ${rows.classNames.length} classes: ${shown.join(', ')}${more}`;
}

/** What using the data would do to the form: the fitted config and what changed, or why it cannot be used. */
export type RowsFit = { ok: true; name: string; config: ExperimentConfig; notices: string[] } | { ok: false; problem: string };

/**
 * Checks the rows against the experiment in the form before anything is accepted: split sizes fitted to the rows,
 * models that need images or an encoder replaced, the file's name shortened to what a link carries. Data the
 * experiment cannot take (or that would leave the form invalid) is refused here, with the reason.
 */
export function fitRowsToForm(draft: ExperimentConfig, fileName: string, rows: CustomRows): RowsFit {
  const descriptor = describeCustomRows(rows, fileName);
  const fitted = fitConfigToCustomData(draft, descriptor);
  if (fitted.problems.length > 0) return { ok: false, problem: `This data cannot be used with the experiment in the form: ${fitted.problems.join('; ')}.` };
  const renamed = descriptor.name !== fileName ? ` (the file's name, ${fileName.length} characters long, is kept as "${descriptor.name}")` : '';
  const notices = [
    `Now using your data "${descriptor.name}" (${summariseRows(rows)})${renamed}. It stays in this browser; a link to this experiment names the file and its SHA-256 hash.`,
    ...(fitted.changes.length ? [`Adjusted to fit it: ${fitted.changes.join('; ')}.`] : []),
  ];
  return { ok: true, name: descriptor.name, config: fitted.config, notices };
}

/** Puts the rows in this tab's memory and the form's config on them; returns why not when they cannot be used. */
export function applyRowsToForm(app: Pick<AppState, 'draft' | 'loadConfig' | 'addCustomRows'>, fileName: string, rows: CustomRows): string | null {
  const fit = fitRowsToForm(app.draft, fileName, rows);
  if (!fit.ok) return fit.problem;
  app.addCustomRows(fit.name, rows);
  app.loadConfig(fit.config, fit.notices);
  return null;
}
