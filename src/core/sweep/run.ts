/**
 * Running a planned sweep (or one shard of it) through any runner: the command line's worker threads, the page's
 * worker pool. Every runnable cell is handed to the runner at once; the runner decides how many run together.
 * No tfjs here.
 */
import type { ExperimentConfig } from '../config/schema';
import type { ExperimentResult } from '../experiments/contract';
import { cellRecord, type LeanResult, type SweepCellRecord } from './file';
import { inShard, type PlannedCell, type Shard, type SweepPlan } from './plan';

export type CellRunner = (config: ExperimentConfig, cell: PlannedCell) => Promise<ExperimentResult | LeanResult>;

/**
 * Runs every cell of the plan in the shard (refused cells are recorded, not run); records in index order. Cells
 * with a `previous` record that is done (a sweep resumed after a reload) keep it and are not run again.
 */
export async function runSweep(
  plan: SweepPlan,
  shard: Shard | null,
  run: CellRunner,
  onRecord?: (record: SweepCellRecord) => void,
  previous: readonly SweepCellRecord[] = [],
): Promise<SweepCellRecord[]> {
  const mine = plan.cells.filter((cell) => inShard(cell, shard));
  const kept = new Map(previous.filter((r) => r.status === 'done' && r.result).map((r) => [r.index, r]));
  return Promise.all(
    mine.map(async (cell) => {
      let record: SweepCellRecord;
      const earlier = kept.get(cell.index);
      if (earlier && cell.config !== null && JSON.stringify(earlier.config) === JSON.stringify(cell.config)) return earlier;
      if (cell.config === null) record = cellRecord(cell, null);
      else {
        try {
          record = cellRecord(cell, { result: await run(cell.config, cell) });
        } catch (error) {
          record = cellRecord(cell, { error: error instanceof Error ? error.message : String(error) });
        }
      }
      onRecord?.(record);
      return record;
    }),
  );
}
