/** Finished runs kept in IndexedDB (idb-keyval), so they survive a reload; nothing leaves the browser. */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { SavedRun } from './saved-run';

export interface RunArchive {
  list(): Promise<SavedRun[]>;
  save(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

/** At most this many runs are kept; the oldest go first. */
export const MAX_SAVED_RUNS = 50;

export function indexedDbArchive(): RunArchive {
  let store: UseStore | null = null;
  const db = () => (store ??= createStore('distillery', 'runs'));
  const list = async () => {
    const all = await entries<string, SavedRun>(db());
    return all.map(([, run]) => run).sort((a, b) => b.savedAt - a.savedAt);
  };
  return {
    list,
    async save(run) {
      await set(run.id, run, db());
      const runs = await list();
      for (const old of runs.slice(MAX_SAVED_RUNS)) await del(old.id, db());
    },
    remove: (id) => del(id, db()),
  };
}

/** For tests and for browsers without IndexedDB (private modes): keeps runs in memory. */
export function memoryArchive(): RunArchive {
  const runs = new Map<string, SavedRun>();
  return {
    list: async () => [...runs.values()].sort((a, b) => b.savedAt - a.savedAt),
    save: async (run) => void runs.set(run.id, run),
    remove: async (id) => void runs.delete(id),
  };
}
