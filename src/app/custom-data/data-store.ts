/**
 * The visitor's own data files: reading a chosen file, and copies kept in this browser's IndexedDB so that links
 * to them keep working here after a reload (the rows read in this tab are in the store's customData slice).
 * Nothing is ever sent anywhere: a link carries only the data's description and hash.
 */
import { createStore as createIdbStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { CUSTOM_DATA_LIMITS, CUSTOM_DATASET, type CustomData } from '../../core/config/datasets';
import type { ExperimentConfig } from '../../core/config/schema';
import { toCsv } from '../../core/csv-export';
import type { DrawnPoint } from '../store/types';
import { readCsvRows, readCsvTable, type CsvProblem, type CsvTable, type CustomRows } from '../../core/data/csv';
import { sha256Hex } from '../../core/data/custom';

/** The descriptor of the custom data a config names, if it names one. */
export function neededData(config: ExperimentConfig | null | undefined): CustomData | null {
  return config?.data.dataset === CUSTOM_DATASET && config.data.custom ? config.data.custom : null;
}

export const rowsKey = (sha256: string, label: string) => `${sha256}/${label}`;

/** A file read for the form: its bytes and hash, and either its table or what is wrong with it. */
export interface PreparedFile {
  name: string;
  sha256: string;
  bytes: Uint8Array;
  table: CsvTable | null;
  problem: CsvProblem | null;
}

const MB = 1024 * 1024;

/** Reads a chosen file; too big a file is refused before it is read. Never throws. */
export async function prepareFile(file: Blob & { name: string }): Promise<PreparedFile> {
  if (file.size > CUSTOM_DATA_LIMITS.bytes) {
    return {
      name: file.name,
      sha256: '',
      bytes: new Uint8Array(0),
      table: null,
      problem: { message: `The file is ${(file.size / MB).toFixed(1)} MB; the limit is ${CUSTOM_DATA_LIMITS.bytes / MB} MB.` },
    };
  }
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = await sha256Hex(bytes);
    const table = readCsvTable(bytes);
    return table.ok
      ? { name: file.name, sha256, bytes, table: table.value, problem: null }
      : { name: file.name, sha256, bytes, table: null, problem: table.error };
  } catch (error) {
    return {
      name: file.name,
      sha256: '',
      bytes: new Uint8Array(0),
      table: null,
      problem: { message: `The file could not be read: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}

// ---- copies kept in this browser (best effort: a private window without IndexedDB just keeps nothing)

/** Files kept; the oldest go first. */
export const MAX_KEPT_FILES = 5;

interface KeptFile {
  sha256: string;
  name: string;
  bytes: Uint8Array;
  savedAt: number;
}

let idb: UseStore | null = null;
const db = () => (idb ??= createIdbStore('distillery-data', 'files'));
const hasIndexedDb = () => typeof indexedDB !== 'undefined';

export async function keepFile(name: string, sha256: string, bytes: Uint8Array): Promise<void> {
  if (!hasIndexedDb()) return;
  try {
    await set(sha256, { sha256, name, bytes, savedAt: Date.now() } satisfies KeptFile, db());
    // Oldest first out; entries without a readable date (damaged, or from another version) go before any dated one.
    // The file just kept is never evicted, whatever the dates of the others say.
    const dated = (await entries<IDBValidKey, unknown>(db()))
      .filter(([key]) => key !== sha256)
      .map(([key, file]) => ({
        key,
        savedAt: file !== null && typeof file === 'object' && Number.isFinite((file as KeptFile).savedAt) ? (file as KeptFile).savedAt : -Infinity,
      }))
      .sort((a, b) => b.savedAt - a.savedAt);
    for (const old of dated.slice(MAX_KEPT_FILES - 1)) await del(old.key, db());
  } catch {
    // Keeping is a convenience; the data is in memory for this tab either way.
  }
}

/**
 * The bytes of a kept file, if the stored entry is one and its bytes still have the hash the config names:
 * IndexedDB is read back as untrusted, so a damaged or altered copy is never run as the named data.
 */
export async function verifiedKeptBytes(kept: unknown, sha256: string): Promise<Uint8Array | null> {
  if (kept === null || typeof kept !== 'object') return null;
  const bytes = (kept as { bytes?: unknown }).bytes;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength > CUSTOM_DATA_LIMITS.bytes) return null;
  return (await sha256Hex(bytes)) === sha256 ? bytes : null;
}

/** Reads the data a config needs from this browser's kept files, if it is there (and unaltered). */
export async function restoreKept(needed: CustomData): Promise<CustomRows | null> {
  if (!hasIndexedDb()) return null;
  try {
    const bytes = await verifiedKeptBytes(await get<unknown>(needed.sha256, db()), needed.sha256);
    if (!bytes) return null;
    const rows = readCsvRows(bytes, needed.label, needed.sha256);
    return rows.ok ? rows.value : null;
  } catch {
    return null;
  }
}

export async function forgetKeptFiles(): Promise<void> {
  if (!hasIndexedDb()) return;
  try {
    for (const [key] of await entries<string, KeptFile>(db())) await del(key, db());
  } catch {
    // nothing kept, nothing to forget
  }
}

// ---- drawn points as a CSV file (so they have a hash, can be downloaded, and load like any file)

export function drawnCsv(points: DrawnPoint[]): string {
  return toCsv([['x', 'y', 'label'], ...points.map((p) => [p.x.toFixed(4), p.y.toFixed(4), p.label])]);
}
