/**
 * The typed messages between the page and the training worker. Every message carries the run it belongs to,
 * so the page can drop anything from a run it has already cancelled. Plain data only: numbers, strings,
 * typed arrays; never tensors.
 */
import type { BackendName } from '../core/backend';
import type { ExperimentConfigInput } from '../core/config/schema';
import type { CustomRows } from '../core/data/custom';
import type { ExperimentEvent, ExperimentResult } from '../core/experiments/contract';
import type { LayersModelFiles } from '../core/models/layers-format';

export type BackendChoice = 'auto' | BackendName;

export interface BackendReport {
  name: BackendName;
  /** Why this backend runs, in a sentence for people. */
  reason: string;
  /** What was tried first and why it was passed over. */
  skipped: string[];
  /** wasm only: threads it computes with (more than 1 only where the page is cross-origin isolated). */
  threads?: number;
}

export type ErrorKind = 'config' | 'divergence' | 'backend' | 'data' | 'internal';

export type ToWorker =
  | {
      type: 'start';
      runId: number;
      config: ExperimentConfigInput;
      backend: BackendChoice;
      baseUrl: string;
      stepsPerSecond: number | null;
      customRows?: CustomRows;
      /** On a cross-origin isolated page: whether wasm runs its multithreaded binary (`?wasm-threads=on|off`); unset: automatic. */
      wasmThreads?: 'on' | 'off';
      /** A sweep cell or seed run in the pool: no progress events and no model exports, only the end (and the backend). */
      lean?: boolean;
    }
  | { type: 'cancel'; runId: number }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  /** Run to the next measurement, then pause. */
  | { type: 'step'; runId: number }
  | { type: 'speed'; runId: number; stepsPerSecond: number | null };

export type FromWorker =
  | { type: 'backend'; runId: number; backend: BackendReport }
  | { type: 'progress'; runId: number; event: ExperimentEvent }
  | { type: 'paused'; runId: number; paused: boolean }
  | { type: 'done'; runId: number; result: ExperimentResult }
  /** A stage's trained model in TensorFlow.js layers format (final weights), or why it could not be exported. */
  | { type: 'model'; runId: number; stage: string; files: LayersModelFiles | null; problem?: string }
  | { type: 'cancelled'; runId: number }
  | { type: 'error'; runId: number; kind: ErrorKind; message: string; problems?: string[] };
