/**
 * Finished runs kept in IndexedDB (idb-keyval), so they survive a reload; nothing leaves the browser.
 *
 * What is read back is untrusted (read-saved-run.ts): each entry is read and checked on its own, in its own task,
 * so that a damaged one is skipped with a notice and never hides the others, and a long one never blocks the page.
 *
 * Order: each run is stored under a key carrying a sequence number (`r<seq>-...`), one more than the highest in the
 * archive, so the newest run is the one saved last whatever the computer's clock said. The oldest go first when
 * more than MAX_SAVED_RUNS are kept; the run being saved is never one of them. Entries from before sequence
 * numbers (and keys this version did not write) count as older than every numbered one.
 */
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { quoted, readSavedRun } from './read-saved-run';
import type { KeptRun, SavedRun } from './saved-run';

export interface RunListing {
  /** Readable runs, newest first. */
  runs: KeptRun[];
  /** One line per entry skipped or read in part, naming it. */
  notices: string[];
  /** Ids of the entries that could not be read at all (they can be removed). */
  unreadable: string[];
}

export interface RunArchive {
  list(): Promise<RunListing>;
  /**
   * Stores a run under a new key (the run's id is replaced by it); returns that key, the run as list() would give
   * it (without reading it back: a long run takes IndexedDB hundreds of milliseconds to deserialise) and the ids of
   * the runs evicted to make room.
   */
  save(run: SavedRun): Promise<{ id: string; kept: KeptRun | null; evicted: string[] }>;
  remove(id: string): Promise<void>;
}

/** At most this many runs are kept; the oldest go first. */
export const MAX_SAVED_RUNS = 50;

/** The storage an archive needs; IndexedDB in the page, a Map in tests. Keys may be anything IndexedDB allows. */
export interface KeyValueStore {
  keys(): Promise<unknown[]>;
  get(key: unknown): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: unknown): Promise<void>;
}

const SEQUENCE_KEY = /^r(\d{1,13})-/;
/** A run a millisecond for thirty years: a larger number was not written by this page, and would leave no room after it. */
const MAX_SEQUENCE = 1e12;

/** A key's sequence number; null for keys this version did not write. */
export function sequenceOf(key: unknown): number | null {
  const match = typeof key === 'string' ? SEQUENCE_KEY.exec(key) : null;
  const seq = match ? Number(match[1]) : NaN;
  return seq >= 1 && seq <= MAX_SEQUENCE ? seq : null;
}

/** Keys newest first: numbered ones by number, then the rest by key (older ids began with the time in base 36). */
function newestFirst(a: unknown, b: unknown): number {
  const sa = sequenceOf(a);
  const sb = sequenceOf(b);
  if (sa !== null || sb !== null) return (sb ?? -1) - (sa ?? -1);
  const ta = typeof a === 'string' ? a : '';
  const tb = typeof b === 'string' ? b : '';
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

/** A key as text, for ids in the page (IndexedDB keys may also be numbers, dates or arrays). */
const idOf = (key: unknown): string => (typeof key === 'string' ? key : `key ${quoted(key)}`);

/** Lets the page paint between entries: a long run takes a few milliseconds to check, fifty of them would not fit in a frame. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function keyValueArchive(store: KeyValueStore): RunArchive {
  /** Ids shown to the page -> the keys they stand for (only differ for keys that are not text). */
  const keyOf = new Map<string, unknown>();
  return {
    async list() {
      const listing: RunListing = { runs: [], notices: [], unreadable: [] };
      const all = [...(await store.keys())].sort(newestFirst);
      for (const key of all) {
        const id = idOf(key);
        keyOf.set(id, key);
        let value: unknown;
        try {
          value = await store.get(key);
        } catch (error) {
          listing.notices.push(`Saved run ${quoted(id)} could not be read and was skipped: ${error instanceof Error ? error.message : String(error)}.`);
          listing.unreadable.push(id);
          continue;
        }
        const read = readSavedRun(id, value);
        if (read.ok) {
          listing.runs.push(read.run);
          listing.notices.push(...read.notices);
        } else {
          listing.notices.push(read.notice);
          listing.unreadable.push(id);
        }
        await nextTask();
      }
      // Entries without a sequence number (older versions) in the order of their dates, after the numbered ones.
      const numbered = listing.runs.filter((r) => sequenceOf(r.id) !== null);
      const older = listing.runs
        .filter((r) => sequenceOf(r.id) === null)
        .sort((a, b) => (Number.isNaN(b.savedAt) ? -Infinity : b.savedAt) - (Number.isNaN(a.savedAt) ? -Infinity : a.savedAt));
      listing.runs = [...numbered, ...older];
      return listing;
    },
    async save(run) {
      const existing = await store.keys();
      const highest = existing.reduce<number>((max, key) => Math.max(max, sequenceOf(key) ?? 0), 0);
      const id = `r${String(Math.min(highest + 1, MAX_SEQUENCE)).padStart(8, '0')}-${run.id}`;
      const stored = { ...run, id };
      await store.set(id, stored);
      const evicted = [...existing, id]
        .sort(newestFirst)
        .slice(MAX_SAVED_RUNS)
        .filter((key) => key !== id);
      for (const old of evicted) await store.del(old);
      const read = readSavedRun(id, stored);
      return { id, kept: read.ok ? read.run : null, evicted: evicted.map(idOf) };
    },
    remove: (id) => store.del(keyOf.has(id) ? keyOf.get(id) : id),
  };
}

export function indexedDbArchive(): RunArchive {
  let db: UseStore | null = null;
  const runs = () => (db ??= createStore('distillery', 'runs'));
  return keyValueArchive({
    keys: () => keys(runs()),
    get: (key) => get(key as IDBValidKey, runs()),
    set: (key, value) => set(key, value, runs()),
    del: (key) => del(key as IDBValidKey, runs()),
  });
}

/** For tests and for browsers without IndexedDB (private modes): keeps runs in memory, read back like stored ones. */
export function memoryArchive(entries: Map<unknown, unknown> = new Map()): RunArchive {
  return keyValueArchive({
    keys: async () => [...entries.keys()],
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    del: async (key) => void entries.delete(key),
  });
}
