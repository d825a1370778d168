/**
 * Trained stages kept for the page (core/experiments/stage-cache.ts): in the worker's memory, and in IndexedDB so
 * that they outlive a reload. IndexedDB keeps at most MAX_ENTRIES stages and MAX_BYTES, the least recently used
 * dropped first; where it cannot be used (private windows, quota) the memory alone serves. What it gives back is
 * checked by the core before use, so a damaged entry is retrained and then overwritten.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { cachedBytes, MemoryStageStore, type CachedStage, type StageStore } from '../core/experiments/stage-cache';

const MAX_ENTRIES = 24;
const MAX_BYTES = 96 * 2 ** 20;

interface IndexEntry {
  bytes: number;
  /** Order of last use: larger is newer (a counter, not the clock). */
  used: number;
}

const isIndexEntry = (v: unknown): v is IndexEntry =>
  typeof v === 'object' && v !== null && Number.isFinite((v as IndexEntry).bytes) && Number.isFinite((v as IndexEntry).used);

export class BrowserStageStore implements StageStore {
  private readonly memory = new MemoryStageStore(128 * 2 ** 20);
  private stores: { values: UseStore; index: UseStore } | null = null;

  private idb() {
    // Two databases: idb-keyval keeps one object store per database.
    this.stores ??= { values: createStore('distillery-stages', 'stages'), index: createStore('distillery-stage-index', 'index') };
    return this.stores;
  }

  async get(key: string): Promise<unknown> {
    const inMemory = await this.memory.get(key);
    if (inMemory) return inMemory;
    try {
      const { values, index } = this.idb();
      const stored: unknown = await get(key, values);
      if (stored !== undefined) {
        const meta: unknown = await get(key, index);
        await set(key, { bytes: isIndexEntry(meta) ? meta.bytes : 0, used: (await this.newest()) + 1 }, index);
      }
      return stored;
    } catch {
      return undefined;
    }
  }

  async put(key: string, entry: CachedStage): Promise<void> {
    await this.memory.put(key, entry);
    try {
      const { values, index } = this.idb();
      await set(key, entry, values);
      await set(key, { bytes: cachedBytes(entry), used: (await this.newest()) + 1 }, index);
      await this.evict();
    } catch {
      // Quota or no IndexedDB: the stage is kept in memory only.
    }
  }

  private async newest(): Promise<number> {
    const all = await entries<string, unknown>(this.idb().index);
    return all.reduce((max, [, meta]) => (isIndexEntry(meta) ? Math.max(max, meta.used) : max), 0);
  }

  /** Drops the least recently used stages beyond the limits, and index entries that cannot be read. */
  private async evict(): Promise<void> {
    const { values, index } = this.idb();
    const all = await entries<string, unknown>(index);
    const kept = all.filter((e): e is [string, IndexEntry] => isIndexEntry(e[1])).sort((a, b) => b[1].used - a[1].used);
    const drop = all.filter(([, meta]) => !isIndexEntry(meta)).map(([key]) => key);
    let bytes = 0;
    kept.forEach(([key, meta], i) => {
      bytes += Math.max(0, meta.bytes);
      if (i >= MAX_ENTRIES || bytes > MAX_BYTES) drop.push(key);
    });
    for (const key of drop) {
      await del(key, values);
      await del(key, index);
    }
  }
}
