/**
 * The page's state: one zustand store composed from a creator per slice (slices/), built by a factory so tests
 * can give it a fake worker client and an archive in memory.
 * config: the experiment being edited; run: what the worker reported; view: what the visitor is looking at;
 * runs: the runs kept in this browser; sweep: a grid of runs; customData: the visitor's own data in this tab.
 */
import { createStore } from 'zustand/vanilla';
import { memoryArchive, type RunArchive } from '../runs/archive';
import { createConfigSlice } from './slices/config';
import { createCustomDataSlice } from './slices/custom-data';
import { createRunSlice } from './slices/run';
import { createRunsSlice } from './slices/runs';
import { createSweepSlice } from './slices/sweep';
import { createViewSlice } from './slices/view';
import type { AppState, WorkerControls } from './types';

export type { AppState, Path, WorkerControls } from './types';
export { getIn } from './paths';

export function createAppStore(controls: WorkerControls, archive: RunArchive = memoryArchive()) {
  return createStore<AppState>()((set, get) => ({
    ...createConfigSlice(set, get),
    ...createRunSlice(controls)(set, get),
    ...createViewSlice(set, get),
    ...createRunsSlice(archive)(set, get),
    ...createSweepSlice(set, get),
    ...createCustomDataSlice(set, get),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
