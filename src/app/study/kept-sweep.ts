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
      // Anything but text was not written by this page: it goes to the reader as it is, which refuses it.
      return value === undefined ? null : value;
    },
    save: (text) => set(KEY, text, sweeps()),
    clear: () => del(KEY, sweeps()),
  };
}

export function memorySweepStore(initial: unknown = null): SweepStore & { text: unknown } {
  const store = {
    text: initial as unknown,
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
