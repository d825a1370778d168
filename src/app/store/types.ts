/** The page's state, slice by slice: the types every slice and component shares. */
import type { StoreApi } from 'zustand/vanilla';
import type { ExperimentConfig } from '../../core/config/schema';
import type { CustomRows } from '../../core/data/csv';
import type { MistakeCategory } from '../../core/metrics';
import type { BackendChoice, FromWorker } from '../../worker/protocol';
import type { KeptRun } from '../runs/saved-run';
import type { RunState } from './run-state';

export interface WorkerControls {
  start(config: ExperimentConfig, backend: BackendChoice, stepsPerSecond: number | null): number;
  cancel(): void;
  pause(): void;
  resume(): void;
  step(): void;
  setSpeed(stepsPerSecond: number | null): void;
}

export type Path = (string | number)[];

export interface ConfigSlice {
  presetId: string | null;
  /**
   * The preset whose story (captions, lesson) the form tells: the preset loaded, kept through the visitor's edits
   * of the same kind of experiment (its captions quote the edited run's own numbers); a link or file of a preset
   * with another seed tells that preset's story too.
   */
  story: string | null;
  /** The edited config; may be invalid while `problems` is non-empty. */
  draft: ExperimentConfig;
  /** What is wrong with the draft, one line per problem: always the draft's own (see setDraft below). */
  problems: string[];
  loadPreset(id: string): void;
  /** Loads a config from a link, a file or a saved run (read with readConfig); notices say what was replaced. */
  loadConfig(config: ExperimentConfig, notices: string[]): void;
  /** Messages about the link or file the config came from. */
  notices: string[];
  /** Shows messages about a link or a file that did not change the config (an unreadable link). */
  showNotices(notices: string[]): void;
  dismissNotices(): void;
  /** Why the last Run did not start, in words for the page; cleared by the next change to the config. */
  runBlocked: string | null;
  dismissRunBlocked(): void;
  setField(path: Path, value: unknown): void;
  /** Replaces a sub-object (a model or loss spec) with its schema defaults for a new type. */
  setVariant(path: Path, type: string): void;
  /**
   * The one place the draft changes: every source (form, link, file, preset, saved run, custom data) comes through
   * here, and the problems are always recomputed from the draft itself, so that Run is enabled only for a config
   * that validates. A value that is not even shaped like a config is refused, keeping the form.
   */
  setDraft(candidate: unknown, presetId: string | null, notices?: string[], edited?: boolean): void;
}

export interface RunSlice {
  run: RunState;
  /** Steps per second while training; null: as fast as possible. */
  stepsPerSecond: number | null;
  startRun(): void;
  stopRun(): void;
  togglePause(): void;
  stepRun(): void;
  /** Starts the same config and seed again from scratch: the same numbers come back. */
  resetRun(): void;
  setSpeed(stepsPerSecond: number | null): void;
  setBackendChoice(choice: BackendChoice): void;
  receive(messages: FromWorker[]): void;
  workerCrashed(reason: string): void;
  /** Starts a validated config on the worker; null (and runBlocked says why) when it could not start. */
  beginRun(config: ExperimentConfig): number | null;
}

export interface ViewSlice {
  /** Lecture mode: large type and high-contrast charts. */
  lecture: boolean;
  /** Controls hidden through the link (config paths such as "student.loss", or panel names). */
  hidden: string[];
  setLecture(on: boolean): void;
  setHidden(hidden: string[]): void;
  /** The beat/copy category whose examples are shown. */
  category: MistakeCategory;
  /** Which student the matrix and the examples compare with the supervisor (comparison experiments); null: the main one. */
  matrixStudent: string | null;
  selectCategory(category: MistakeCategory): void;
  selectMatrixStudent(name: string | null): void;
}

export interface RunsSlice {
  /** Finished runs kept in the browser, newest first (each read back as untrusted data: runs/read-saved-run.ts). */
  savedRuns: KeptRun[];
  /** Entries of the archive skipped or read in part, one line each, naming the entry. */
  runNotices: string[];
  /** Ids of the entries that could not be read at all. */
  unreadableRuns: string[];
  removeUnreadableRuns(): Promise<void>;
  /** Runs whose curves are overlaid. */
  selectedRuns: string[];
  /** Curve smoothing for the overlay, 0 (none) to 0.95. */
  smoothing: number;
  refreshRuns(): Promise<void>;
  deleteRun(id: string): Promise<void>;
  toggleRunSelected(id: string): void;
  setSmoothing(smoothing: number): void;
  /** Keeps a finished run in the browser (best effort). */
  keepRun(run: RunState): void;
}

export interface SweepCell {
  supervisorSize: number;
  studentSize: number;
  /** null for a refused cell. */
  config: ExperimentConfig | null;
  /** refused: the cell's config does not validate (checked before the sweep starts); it never runs. */
  status: 'waiting' | 'running' | 'done' | 'failed' | 'refused';
  /** Why a cell was refused or failed, in words. */
  reason: string | null;
  runId: number | null;
  accuracies: { weak: number; ceiling: number; student: number } | null;
  pgr: number | null;
}

export interface SweepSlice {
  /** The current or last sweep: cells run one after another through the same worker. */
  sweep: { cells: SweepCell[]; running: boolean } | null;
  /** Starts a grid over supervisor sizes x student sizes on the current weak-to-strong config. */
  startSweep(supervisorSizes: number[], studentSizes: number[]): void;
  cancelSweep(): void;
  /** Opens one cell as an ordinary run (same config, same seed: same numbers). */
  openSweepCell(index: number): void;
  /** Records a sweep cell's run as it ends and starts the next cell. */
  advanceSweep(run: RunState): void;
}

/** The visitor's own data in this tab: rows read here (never sent anywhere but to the worker), the drawing. */
export interface CustomDataState {
  /** Rows read in this tab, by rowsKey (a file read with two label columns gives two datasets). */
  rows: Record<string, { name: string; rows: CustomRows }>;
  /** A link asked to run as soon as the data it names is loaded. */
  runWhenLoaded: boolean;
  /** The points drawn so far (kept while the sheet is closed). */
  drawing: { points: DrawnPoint[]; classes: number; selected: number };
}

export interface DrawnPoint {
  /** In [-1.5, 1.5], y up. */
  x: number;
  y: number;
  label: number;
}

export interface CustomDataSlice {
  customData: CustomDataState;
  addCustomRows(name: string, rows: CustomRows): void;
  setDrawing(change: Partial<CustomDataState['drawing']>): void;
  setRunWhenLoaded(on: boolean): void;
}

export type AppState = ConfigSlice & RunSlice & ViewSlice & RunsSlice & SweepSlice & CustomDataSlice;

/** What a slice creator is given: the whole store's set and get (slices call each other's actions through get). */
export type SetState = StoreApi<AppState>['setState'];
export type GetState = StoreApi<AppState>['getState'];
