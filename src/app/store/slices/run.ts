/** The run on screen: starting, stopping and pacing it, and what the worker reports. */
import { safeParseConfig } from '../../../core/config/read';
import { applyMessages, crashed, initialRunState, runRequested } from '../run-state';
import type { GetState, RunSlice, SetState, WorkerControls } from '../types';

export function createRunSlice(controls: WorkerControls) {
  return (set: SetState, get: GetState): RunSlice => ({
    run: initialRunState,
    stepsPerSecond: null,
    beginRun(config) {
      // Says in the page why a run could not start instead of throwing into a click handler.
      try {
        const runId = controls.start(config, get().run.backendChoice, get().stepsPerSecond);
        set({ run: runRequested(get().run, runId, config, performance.now()), runBlocked: null });
        return runId;
      } catch (error) {
        set({ runBlocked: `The run could not start: ${error instanceof Error ? error.message : String(error)}` });
        return null;
      }
    },
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
      get().beginRun(checked.config);
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
      if (config) get().beginRun(config);
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
        get().keepRun(run);
      }
      get().advanceSweep(run);
    },
    workerCrashed(reason) {
      set({ run: crashed(get().run, reason, performance.now()) });
    },
  });
}
