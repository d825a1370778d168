/** The sweep in progress, kept in IndexedDB (its own database: idb-keyval keeps one store per database) under one key. */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { SweepStore } from './study';

const KEY = 'current';

export function indexedDbSweepStore(): SweepStore {
  let db: UseStore | null = null;
  const sweeps = () => (db ??= createStore('distillery-sweeps', 'sweeps'));
  return {
    load: async () => {
      const value: unknown = await get(KEY, sweeps());
      if (value === undefined) return null;
      // Anything else than text was not written by this page: the reader refuses it with a notice.
      return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    },
    save: (text) => set(KEY, text, sweeps()),
    clear: () => del(KEY, sweeps()),
  };
}

export function memorySweepStore(initial: string | null = null): SweepStore & { text: string | null } {
  const store = {
    text: initial,
    load: async () => store.text,
    save: async (text: string) => {
      store.text = text;
    },
    clear: async () => {
      store.text = null;
    },
  };
  return store;
}
