/**
 * The page's one study and its pool of workers, made when the panel first opens (and kept when it closes, so that a
 * sweep goes on in the background). The pool keeps one worker while the tab is hidden, and none between studies.
 */
import type { ExperimentConfig } from '../../core/config/schema';
import type { CustomRows } from '../../core/data/custom';
import { poolSizeFor, TrainingPool } from '../../worker/pool';
import type { BackendChoice } from '../../worker/protocol';
import { indexedDbSweepStore } from './kept-sweep';
import { Study } from './study';

/** What the cells run with: the backend picked in the header, the visitor's own rows where the config names them. */
export interface CellOptions {
  backend: BackendChoice;
  rowsFor(config: ExperimentConfig): CustomRows | undefined;
}

let made: { study: Study; pool: TrainingPool; options: CellOptions } | null = null;

export function pageStudy(): { study: Study; pool: TrainingPool; options: CellOptions } {
  if (made) return made;
  const pool = new TrainingPool(poolSizeFor(globalThis.navigator?.hardwareConcurrency));
  const options: CellOptions = { backend: 'auto', rowsFor: () => undefined };
  const study = new Study(
    {
      run: (config) => pool.run(config, { backend: options.backend, customRows: options.rowsFor(config) }),
      cancel: () => pool.cancelAll(),
      backend: () => [...pool.backends].join('+') || options.backend,
    },
    typeof indexedDB === 'undefined' ? null : indexedDbSweepStore(),
  );
  document.addEventListener('visibilitychange', () => pool.setHidden(document.hidden));
  // Between studies the workers hold nothing worth their memory (tens of MB each: a backend, datasets, stages).
  study.subscribe(() => {
    if (study.getSnapshot().state !== 'running') pool.releaseIdle();
  });
  pool.setHidden(document.hidden);
  made = { study, pool, options };
  return made;
}
