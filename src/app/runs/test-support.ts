/** Real finished runs for the archive's tests: tiny experiments run in Node, kept as the page keeps them. */
import type { ExperimentResult } from '../../core/experiments/contract';
import { startNodeBackend } from '../../node/node-backend';
import { reduced, run } from '../../node/test-support';
import type { RunState } from '../store/run-state';
import { toSavedRun, type SavedRun } from './saved-run';

/**
 * Four kinds with different result shapes: a plain weak-to-strong (decision grid), a loss study (several students,
 * bar charts), teacher hacking (line charts), and a language model's distillation (bits per character, writing).
 */
export async function tinyResults(): Promise<ExperimentResult[]> {
  await startNodeBackend('cpu');
  const train = { epochs: 2, evalEvery: 5 };
  return [
    await run(
      reduced('w2s-copying', { data: { supervisorSize: 60, transferSize: 100, validationSize: 20, testSize: 50 }, supervisor: { train }, student: { train } }),
    ),
    await run(
      reduced('w2s-losses', {
        data: { dataset: 'moons', supervisorSize: 60, transferSize: 100, validationSize: 20, testSize: 50 },
        supervisor: { model: { type: 'linear' }, train },
        student: { model: { type: 'mlp', width: 8 }, train },
      }),
    ),
    await run(reduced('teacher-hacking', { data: { teacherSize: 40, transferSize: 16, testSize: 40 }, teacher: { train }, student: { train } })),
    await run(
      reduced('lm-distill', {
        data: { textBudget: 1000, testSize: 100 },
        student: { model: { width: 16 }, train: { batchSize: 50, epochs: 1, evalEvery: 10 } },
        seqKd: { continuation: 10 },
        sampling: { length: 10 },
      }),
    ),
  ];
}

/** A result as the page keeps it, after the copy IndexedDB makes. */
export function savedFrom(result: ExperimentResult, id = 'run', savedAt = 1_700_000_000_000): SavedRun {
  const state = { status: 'done', runId: 1, config: result.config, result } as unknown as RunState;
  return structuredClone({ ...toSavedRun(state, `${result.kind}, seed ${result.config.seed}`, savedAt)!, id });
}
