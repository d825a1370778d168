/** A grid of weak-to-strong runs over supervisor and student sizes, one cell after another. */
import { planSizeSweep } from '../../sweep-sizes';
import type { GetState, SetState, SweepCell, SweepSlice } from '../types';

export function createSweepSlice(set: SetState, get: GetState): SweepSlice {
  /** Starts the next waiting cell of a sweep, or ends the sweep when none is left. */
  const startNextCell = (cells: SweepCell[]) => {
    const next = cells.findIndex((c) => c.status === 'waiting');
    const config = next < 0 ? null : cells[next].config;
    const runId = config ? get().beginRun(config) : null;
    if (next >= 0) cells[next] = runId === null ? { ...cells[next], status: 'failed', reason: get().runBlocked } : { ...cells[next], status: 'running', runId };
    set({ sweep: { cells: [...cells], running: runId !== null } });
  };
  return {
    sweep: null,
    startSweep(supervisorSizes, studentSizes) {
      const base = get().draft;
      if (base.kind !== 'weak-to-strong' || get().problems.length > 0) return;
      // Every cell is checked before the first one runs; the refused ones are shown with the reason.
      const cells: SweepCell[] = planSizeSweep(base, supervisorSizes, studentSizes).map((plan) => ({
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
      get().stopRun();
    },
    openSweepCell(index) {
      const cell = get().sweep?.cells[index];
      if (!cell?.config || get().sweep?.running) return;
      get().loadConfig(cell.config, []);
      get().beginRun(cell.config);
    },
    advanceSweep(run) {
      const sweep = get().sweep;
      if (!sweep?.running) return;
      const index = sweep.cells.findIndex((c) => c.status === 'running' && c.runId === run.runId);
      if (index < 0 || !['done', 'error', 'cancelled'].includes(run.status)) return;
      const cells = [...sweep.cells];
      const stages = run.result?.stages;
      cells[index] =
        run.status === 'done' && stages
          ? {
              ...cells[index],
              status: 'done',
              pgr: run.result!.pgr.final,
              accuracies: { weak: stages.weak.accuracy, ceiling: stages.ceiling.accuracy, student: stages.student.accuracy },
            }
          : { ...cells[index], status: 'failed' };
      if (run.status === 'error') cells[index] = { ...cells[index], reason: run.error?.message ?? null };
      if (run.status === 'cancelled') {
        set({ sweep: { cells, running: false } });
        return;
      }
      startNextCell(cells);
    },
  };
}
