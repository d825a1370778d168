/**
 * The page's state (zustand, built from slices by a factory so tests can give it a fake worker client).
 * config: the experiment being edited; run: what the worker reported; view: what the visitor is looking at.
 */
import { createStore } from 'zustand/vanilla';
import { safeParseConfig } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import { KIND_SPECS } from '../../core/experiments/kinds';
import { DEFAULT_PRESET_ID, findPreset, presetConfig, PRESETS } from '../../core/presets';
import type { MistakeCategory } from '../../core/metrics';
import type { BackendChoice, FromWorker } from '../../worker/protocol';
import { memoryArchive, type RunArchive } from '../runs/archive';
import { toSavedRun, type KeptRun } from '../runs/saved-run';
import { planSweep } from '../../core/sweep';
import { applyMessages, crashed, initialRunState, runRequested, type RunState } from './run-state';

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
  regions: 'side-by-side' | 'supervisor' | 'student';
  selectCategory(category: MistakeCategory): void;
  selectMatrixStudent(name: string | null): void;
  setRegions(regions: ViewSlice['regions']): void;
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
}

export type AppState = ConfigSlice & RunSlice & ViewSlice & RunsSlice & SweepSlice;

function setIn(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const source = (target ?? {}) as Record<string | number, unknown>;
  const copy = (Array.isArray(source) ? [...source] : { ...source }) as Record<string | number, unknown>;
  copy[key] = setIn(source[key], rest, value);
  return copy;
}

export function getIn(target: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], target);
}

/** Whether a value has what the page reads from any draft, valid or not: a known kind and a data section. */
function configShaped(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { kind, data } = value as { kind?: unknown; data?: unknown };
  return KIND_SPECS.some((spec) => spec.kind === kind) && data !== null && typeof data === 'object' && !Array.isArray(data);
}

export function createAppStore(controls: WorkerControls, archive: RunArchive = memoryArchive()) {
  return createStore<AppState>()((set, get) => {
    /**
     * The one place the draft changes: every source (form, link, file, preset, saved run, custom data) comes
     * through here, and the problems are always recomputed from the draft itself, so that Run is enabled only
     * for a config that validates. A value that is not even shaped like a config is refused, keeping the form.
     */
    const setDraft = (candidate: unknown, presetId: string | null, notices?: string[]) => {
      if (!configShaped(candidate)) {
        set({ notices: [...(notices ?? get().notices), 'That could not be used: it is not an experiment config. The form keeps its settings.'] });
        return;
      }
      const result = safeParseConfig(candidate);
      set({
        draft: result.ok ? result.config : (candidate as ExperimentConfig),
        problems: result.ok ? [] : result.problems,
        presetId,
        runBlocked: null,
        ...(notices ? { notices } : {}),
      });
    };
    const begin = (config: ExperimentConfig): number => {
      const runId = controls.start(config, get().run.backendChoice, get().stepsPerSecond);
      set({ run: runRequested(get().run, runId, config, performance.now()), runBlocked: null });
      return runId;
    };
    /** begin, saying in the page why a run could not start instead of throwing into a click handler. */
    const tryBegin = (config: ExperimentConfig): number | null => {
      try {
        return begin(config);
      } catch (error) {
        set({ runBlocked: `The run could not start: ${error instanceof Error ? error.message : String(error)}` });
        return null;
      }
    };

    /** Archive operations one after another: a run saved while the list is being read is not lost from it. */
    let archiveTurn: Promise<unknown> = Promise.resolve();
    const inTurn = (operation: () => Promise<void>): Promise<void> => {
      const next = archiveTurn.then(operation, operation);
      archiveTurn = next.catch(() => undefined);
      return next;
    };

    /** Records the finished cell of a running sweep and starts the next one. */
    const advanceSweep = (run: RunState) => {
      const sweep = get().sweep;
      if (!sweep?.running) return;
      const index = sweep.cells.findIndex((c) => c.status === 'running' && c.runId === run.runId);
      if (index < 0 || !['done', 'error', 'cancelled'].includes(run.status)) return;
      const cells = [...sweep.cells];
      const stages = run.result?.stages;
      cells[index] =
        run.status === 'done' && stages
          ? { ...cells[index], status: 'done', pgr: run.result!.pgr.final, accuracies: { weak: stages.weak.accuracy, ceiling: stages.ceiling.accuracy, student: stages.student.accuracy } }
          : { ...cells[index], status: 'failed' };
      if (run.status === 'error') cells[index] = { ...cells[index], reason: run.error?.message ?? null };
      if (run.status === 'cancelled') {
        set({ sweep: { cells, running: false } });
        return;
      }
      startNextCell(cells);
    };
    /** Starts the next waiting cell of a sweep, or ends the sweep when none is left. */
    const startNextCell = (cells: SweepCell[]) => {
      const next = cells.findIndex((c) => c.status === 'waiting');
      const config = next < 0 ? null : cells[next].config;
      const runId = config ? tryBegin(config) : null;
      if (next >= 0) cells[next] = runId === null ? { ...cells[next], status: 'failed', reason: get().runBlocked } : { ...cells[next], status: 'running', runId };
      set({ sweep: { cells: [...cells], running: runId !== null } });
    };

    return {
      // ---- config
      presetId: DEFAULT_PRESET_ID,
      draft: presetConfig(DEFAULT_PRESET_ID),
      problems: [],
      loadPreset(id) {
        findPreset(id);
        setDraft(presetConfig(id), id, []);
      },
      loadConfig(config, notices) {
        const preset = PRESETS.find((p) => JSON.stringify(presetConfig(p.id)) === JSON.stringify(config));
        setDraft(config, preset?.id ?? null, notices);
      },
      notices: [],
      showNotices: (notices) => set({ notices }),
      dismissNotices: () => set({ notices: [] }),
      runBlocked: null,
      dismissRunBlocked: () => set({ runBlocked: null }),
      // An edited config is no longer the preset it started from.
      setField(path, value) {
        setDraft(setIn(get().draft, path, value), null);
      },
      setVariant(path, type) {
        setDraft(setIn(get().draft, path, { type }), null);
      },

      // ---- run
      run: initialRunState,
      stepsPerSecond: null,
      startRun() {
        const { draft, problems } = get();
        // Checked again here, not only by the disabled button: the keyboard and links start runs too.
        const checked = problems.length > 0 ? ({ ok: false, problems } as const) : safeParseConfig(draft);
        if (!checked.ok) {
          const more = checked.problems.length > 1 ? ` (and ${checked.problems.length - 1} more, listed under the form)` : '';
          set({ problems: checked.problems, runBlocked: `The experiment cannot run until the form is fixed: ${checked.problems[0]}${more}.` });
          return;
        }
        if (get().sweep?.running) get().cancelSweep();
        tryBegin(checked.config);
      },
      stopRun() {
        const status = get().run.status;
        if (status === 'running' || status === 'paused' || status === 'starting') controls.cancel();
      },
      togglePause() {
        const status = get().run.status;
        if (status === 'running') controls.pause();
        else if (status === 'paused') controls.resume();
        else get().startRun();
      },
      stepRun() {
        const status = get().run.status;
        if (status === 'paused' || status === 'running') controls.step();
      },
      resetRun() {
        if (get().sweep?.running) get().cancelSweep();
        const config = get().run.config;
        if (config) tryBegin(config);
        else get().startRun();
      },
      setSpeed(stepsPerSecond) {
        set({ stepsPerSecond });
        controls.setSpeed(stepsPerSecond);
      },
      setBackendChoice(choice) {
        set({ run: { ...get().run, backendChoice: choice } });
      },
      receive(messages) {
        const before = get().run;
        const run = applyMessages(before, messages, performance.now());
        set({ run });
        // Marks for benchmarks: the first curve point and the end of each run.
        const points = (r: typeof run) => r.stages.reduce((n, s) => n + s.history.length, 0);
        if (points(before) === 0 && points(run) > 0) performance.mark('distillery:first-point', { detail: { runId: run.runId } });
        if (before.status !== 'done' && run.status === 'done') {
          performance.mark('distillery:run-done', { detail: { runId: run.runId } });
          const preset = PRESETS.find((p) => run.config && JSON.stringify(presetConfig(p.id)) === JSON.stringify(run.config));
          const title = `${preset?.title ?? `Custom ${run.config?.kind}`}, seed ${run.config?.seed}`;
          const saved = toSavedRun(run, title, Date.now());
          // Keeping the run is best effort: a full or missing IndexedDB must not break the page.
          if (saved) {
            void inTurn(async () => {
              const { kept, evicted } = await archive.save(saved);
              // The list changes in memory: reading every run back after each one would stall the page on long runs.
              const others = get().savedRuns.filter((r) => !evicted.includes(r.id));
              set({ savedRuns: kept ? [kept, ...others] : others, selectedRuns: get().selectedRuns.filter((id) => !evicted.includes(id)) });
            }).catch(() => undefined);
          }
        }
        advanceSweep(run);
      },
      workerCrashed(reason) {
        set({ run: crashed(get().run, reason, performance.now()) });
      },

      // ---- sweeps
      sweep: null,
      startSweep(supervisorSizes, studentSizes) {
        const base = get().draft;
        if (base.kind !== 'weak-to-strong' || get().problems.length > 0) return;
        // Every cell is checked before the first one runs; the refused ones are shown with the reason.
        const cells: SweepCell[] = planSweep(base, supervisorSizes, studentSizes).map((plan) => ({
          supervisorSize: plan.supervisorSize,
          studentSize: plan.studentSize,
          config: plan.config,
          status: plan.refused === null ? 'waiting' : 'refused',
          reason: plan.refused,
          runId: null,
          accuracies: null,
          pgr: null,
        }));
        if (cells.length === 0) return;
        startNextCell(cells);
      },
      cancelSweep() {
        const sweep = get().sweep;
        if (!sweep?.running) return;
        set({ sweep: { cells: sweep.cells.map((c) => (c.status === 'running' ? { ...c, status: 'failed' as const } : c)), running: false } });
        controls.cancel();
      },
      openSweepCell(index) {
        const cell = get().sweep?.cells[index];
        if (!cell?.config || get().sweep?.running) return;
        get().loadConfig(cell.config, []);
        tryBegin(cell.config);
      },

      // ---- runs kept in the browser
      savedRuns: [],
      selectedRuns: [],
      smoothing: 0.6,
      runNotices: [],
      unreadableRuns: [],
      refreshRuns: () => inTurn(async () => {
        try {
          const { runs: savedRuns, notices, unreadable } = await archive.list();
          const ids = new Set(savedRuns.map((r) => r.id));
          set({ savedRuns, runNotices: notices, unreadableRuns: unreadable, selectedRuns: get().selectedRuns.filter((id) => ids.has(id)) });
        } catch (error) {
          set({ savedRuns: [], unreadableRuns: [], runNotices: [`The runs kept in this browser could not be read: ${error instanceof Error ? error.message : String(error)}`] });
        }
      }),
      deleteRun: (id) =>
        inTurn(async () => {
          await archive.remove(id).catch(() => undefined);
          set({ savedRuns: get().savedRuns.filter((r) => r.id !== id), selectedRuns: get().selectedRuns.filter((x) => x !== id) });
        }),
      async removeUnreadableRuns() {
        await inTurn(async () => {
          for (const id of get().unreadableRuns) await archive.remove(id).catch(() => undefined);
        });
        await get().refreshRuns();
      },
      toggleRunSelected(id) {
        const selected = get().selectedRuns;
        set({ selectedRuns: selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id] });
      },
      setSmoothing: (smoothing) => set({ smoothing: Math.min(0.95, Math.max(0, smoothing)) }),

      // ---- view
      lecture: false,
      hidden: [],
      setLecture: (lecture) => set({ lecture }),
      setHidden: (hidden) => set({ hidden }),
      category: 'beats',
      regions: 'side-by-side',
      selectCategory: (category) => set({ category }),
      matrixStudent: null,
      selectMatrixStudent: (matrixStudent) => set({ matrixStudent }),
      setRegions: (regions) => set({ regions }),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;
