/**
 * A study running in the page: the cells of a plan handed to the pool of workers, each recorded as it ends, the
 * whole kept in IndexedDB after every cell (a sweep with axes) so that a reload can resume it. No React and no
 * tfjs here: the panel subscribes to snapshots.
 */
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult } from '../../core/experiments/contract';
import { cellRecord, readSweepFile, sweepFile, sweepFileJson, type SweepCellRecord, type SweepFile } from '../../core/sweep/file';
import type { SweepPlan } from '../../core/sweep/plan';
import { runSweep } from '../../core/sweep/run';
import { isSeedsOnly } from './plan';

/** Runs cells (the pool of workers, or a fake in tests). */
export interface CellRunner {
  run(config: ExperimentConfig): Promise<ExperimentResult>;
  /** Stops every cell queued or running. */
  cancel(): void;
  /** The backend the cells ran on, for the file (merged files must share it). */
  backend(): string;
}

/** Where the sweep in progress is kept between visits (IndexedDB in the page, memory in tests). */
export interface SweepStore {
  /** The kept text; null when nothing is kept; anything else (not written by this page) is refused when read. */
  load(): Promise<unknown>;
  save(text: string): Promise<void>;
  clear(): Promise<void>;
}

export interface StudySnapshot {
  plan: SweepPlan | null;
  /** By cell index; null while a cell has not ended. */
  records: (SweepCellRecord | null)[];
  /** Cells handed to the pool and not yet ended. */
  pending: number;
  state: 'idle' | 'running' | 'finished' | 'cancelled';
  /** Seeds alone (no axis): the full results, for the results file. */
  results: ExperimentResult[];
  /** A stored sweep with cells still to run: what Resume would continue. */
  resumable: { plan: SweepPlan; done: SweepCellRecord[] } | null;
  /** What could not be read back (a damaged or foreign stored sweep), in words. */
  notice: string | null;
  seconds: number | null;
}

const EMPTY: StudySnapshot = { plan: null, records: [], pending: 0, state: 'idle', results: [], resumable: null, notice: null, seconds: null };

export class Study {
  private snapshot: StudySnapshot = EMPTY;
  private listeners = new Set<() => void>();
  /** Each start gets a ticket: records of a study already left behind are dropped. */
  private ticket = 0;
  private saving: Promise<void> = Promise.resolve();
  /** The backend a sweep read back ran on (until cells run here again). */
  private keptBackend: string | null = null;

  constructor(
    private readonly runner: CellRunner,
    private readonly store: SweepStore | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): StudySnapshot => this.snapshot;

  private update(change: Partial<StudySnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  /** Runs every runnable cell of the plan; `previous` records (done) are kept and not run again. */
  async start(plan: SweepPlan, previous: readonly SweepCellRecord[] = []): Promise<void> {
    if (this.snapshot.state === 'running') return;
    const ticket = ++this.ticket;
    this.keptBackend = null;
    const records: (SweepCellRecord | null)[] = plan.cells.map(() => null);
    const kept = new Map(previous.map((r) => [r.index, r]));
    for (const cell of plan.cells) {
      const earlier = kept.get(cell.index);
      if (earlier?.status === 'done' && JSON.stringify(earlier.config) === JSON.stringify(cell.config)) records[cell.index] = earlier;
      else if (cell.refused !== null) records[cell.index] = cellRecord(cell, null);
    }
    const pending = records.filter((r) => r === null).length;
    const started = this.now();
    const full: ExperimentResult[] = [];
    this.update({ plan, records, pending, state: 'running', results: [], resumable: null, notice: null, seconds: null });
    const run = async (config: ExperimentConfig) => {
      const result = await this.runner.run(config);
      if (isSeedsOnly(plan)) full.push(result);
      return result;
    };
    await runSweep(
      plan,
      null,
      run,
      (record) => {
        if (ticket !== this.ticket) return;
        const next = [...this.snapshot.records];
        const wasOpen = next[record.index] === null;
        next[record.index] = record;
        this.update({ records: next, pending: this.snapshot.pending - (wasOpen ? 1 : 0) });
        if (!isSeedsOnly(plan)) this.persist(plan, next);
      },
      previous,
    );
    if (ticket !== this.ticket) return;
    const order = plan.cells.map((c) => c.seed);
    full.sort((a, b) => order.indexOf(a.config.seed) - order.indexOf(b.config.seed));
    const cancelled = this.snapshot.state === 'cancelled';
    this.update({ state: cancelled ? 'cancelled' : 'finished', results: full, seconds: (this.now() - started) / 1000 });
    if (!cancelled && !isSeedsOnly(plan)) await this.saving;
  }

  /** Stops the study: cells not yet ended are recorded as failed ("cancelled") and stay to run on Resume. */
  cancel(): void {
    if (this.snapshot.state !== 'running') return;
    this.update({ state: 'cancelled' });
    this.runner.cancel();
  }

  /** The study as a sweep file (the command line's format); null before any plan. */
  file(): SweepFile | null {
    const { plan, records } = this.snapshot;
    if (!plan) return null;
    return sweepFile(plan, null, this.keptBackend ?? this.runner.backend(), fill(plan, records));
  }

  /** Keeps the sweep so far; saves are chained, so the last one wins. */
  private persist(plan: SweepPlan, records: readonly (SweepCellRecord | null)[]): void {
    if (!this.store) return;
    const store = this.store;
    const text = sweepFileJson(sweepFile(plan, null, this.runner.backend(), fill(plan, records)));
    this.saving = this.saving.then(() => store.save(text)).catch(() => undefined);
  }

  /**
   * Reads the kept sweep back as untrusted data (the sweep file reader: its base config read strictly, every cell
   * one of its plan with the planned config); offers Resume when cells are left to run. A kept sweep that cannot be
   * read is removed, and the notice says why.
   */
  async loadStored(): Promise<void> {
    if (!this.store || this.snapshot.state === 'running') return;
    let text: unknown;
    try {
      text = await this.store.load();
    } catch (error) {
      this.update({ notice: `The sweep kept in this browser could not be read: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (text === null) return;
    try {
      if (typeof text !== 'string') throw new Error('it is not the text of a sweep file');
      const { file, plan } = readSweepFile('the kept sweep', text);
      const done = file.cells.filter((c) => c.status === 'done');
      const runnable = plan.cells.filter((c) => c.refused === null).length;
      const records = plan.cells.map((cell) => file.cells.find((c) => c.index === cell.index) ?? null);
      this.keptBackend = file.backend;
      this.update({
        plan,
        records,
        pending: 0,
        state: done.length < runnable ? 'cancelled' : 'finished',
        resumable: done.length < runnable ? { plan, done } : null,
      });
    } catch (error) {
      await this.store.clear().catch(() => undefined);
      this.update({ notice: `The sweep kept in this browser could not be read and was removed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** Runs the cells a kept sweep has left. */
  async resume(): Promise<void> {
    const resumable = this.snapshot.resumable;
    if (!resumable) return;
    await this.start(resumable.plan, resumable.done);
  }

  /** Forgets the kept sweep. */
  async forget(): Promise<void> {
    await this.store?.clear();
    this.update({ resumable: null });
  }
}

/** Every cell's record, with those not ended recorded as not run. */
function fill(plan: SweepPlan, records: readonly (SweepCellRecord | null)[]): SweepCellRecord[] {
  return plan.cells.map((cell) => records[cell.index] ?? cellRecord(cell, null));
}
