/** Finished runs kept in this browser: read back as untrusted data, overlaid, deleted. */
import type { RunArchive } from '../../runs/archive';
import { runName } from '../../runs/compare';
import { toSavedRun } from '../../runs/saved-run';
import type { GetState, RunsSlice, SetState } from '../types';

export function createRunsSlice(archive: RunArchive) {
  return (set: SetState, get: GetState): RunsSlice => {
    /** Archive operations one after another: a run saved while the list is being read is not lost from it. */
    let archiveTurn: Promise<unknown> = Promise.resolve();
    const inTurn = (operation: () => Promise<void>): Promise<void> => {
      const next = archiveTurn.then(operation, operation);
      archiveTurn = next.catch(() => undefined);
      return next;
    };
    return {
      savedRuns: [],
      selectedRuns: [],
      // Off by default: a comparison shows the measured numbers unless the visitor asks for smoothing.
      smoothing: 0,
      runNotices: [],
      unreadableRuns: [],
      keepRun(run) {
        const saved = run.config ? toSavedRun(run, runName(run.config), Date.now()) : null;
        if (!saved) return;
        // Keeping the run is best effort: a full or missing IndexedDB must not break the page.
        void inTurn(async () => {
          const { kept, evicted } = await archive.save(saved);
          // The list changes in memory: reading every run back after each one would stall the page on long runs.
          const others = get().savedRuns.filter((r) => !evicted.includes(r.id));
          set({ savedRuns: kept ? [kept, ...others] : others, selectedRuns: get().selectedRuns.filter((id) => !evicted.includes(id)) });
        }).catch(() => undefined);
      },
      refreshRuns: () =>
        inTurn(async () => {
          try {
            const { runs: savedRuns, notices, unreadable } = await archive.list();
            const ids = new Set(savedRuns.map((r) => r.id));
            set({ savedRuns, runNotices: notices, unreadableRuns: unreadable, selectedRuns: get().selectedRuns.filter((id) => ids.has(id)) });
          } catch (error) {
            set({
              savedRuns: [],
              unreadableRuns: [],
              runNotices: [`The runs kept in this browser could not be read: ${error instanceof Error ? error.message : String(error)}`],
            });
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
    };
  };
}
