/**
 * The visitor's own data in this tab: rows read here (in memory; copies kept in IndexedDB live in
 * custom-data/data-store.ts) and the points being drawn. Nothing is ever sent anywhere: the worker gets the rows in
 * its start message, and a link carries only the data's description and hash.
 */
import type { CustomData } from '../../../core/config/datasets';
import type { ExperimentConfig } from '../../../core/config/schema';
import type { CustomRows } from '../../../core/data/csv';
import { neededData, rowsKey } from '../../custom-data/data-store';
import type { AppState, CustomDataSlice, GetState, SetState } from '../types';

export function createCustomDataSlice(set: SetState, get: GetState): CustomDataSlice {
  return {
    customData: { rows: {}, runWhenLoaded: false, drawing: { points: [], classes: 2, selected: 0 } },
    addCustomRows(name, rows) {
      const customData = get().customData;
      set({ customData: { ...customData, rows: { ...customData.rows, [rowsKey(rows.sha256, rows.labelColumn)]: { name, rows } } } });
    },
    setDrawing(change) {
      const customData = get().customData;
      set({ customData: { ...customData, drawing: { ...customData.drawing, ...change } } });
    },
    setRunWhenLoaded(runWhenLoaded) {
      set({ customData: { ...get().customData, runWhenLoaded } });
    },
  };
}

/** The rows a config needs, when this tab has them. */
export function rowsFor(state: Pick<AppState, 'customData'>, config: ExperimentConfig): CustomRows | undefined {
  const needed: CustomData | null = neededData(config);
  return needed ? state.customData.rows[rowsKey(needed.sha256, needed.label)]?.rows : undefined;
}
