/**
 * What the page knows about the current run, built from the worker's messages by a pure reducer
 * (unit-tested without a browser). The view of a finished run stays until the next run starts.
 */
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult, ExperimentStart } from '../../core/experiments/contract';
import type { FirstLayerWeights, StageResult, TextSample } from '../../core/experiments/figures';
import { applyChartEvent, type ChartData } from '../../core/experiments/charts';
import type { MetricPoint } from '../../core/experiments/figures';
import type { LayersModelFiles } from '../../core/models/layers-format';
import type { BackendChoice, BackendReport, ErrorKind, FromWorker } from '../../worker/protocol';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'cancelled' | 'error';

export interface StageView {
  name: string;
  label: string;
  role: string;
  model: string | null;
  parameters: number | null;
  totalSteps: number;
  history: MetricPoint[];
  /** 'stopped': the run ended (stopped, diverged, crashed) while this model trained; its curve so far stays. */
  status: 'waiting' | 'training' | 'done' | 'stopped';
  /** Test predictions at the latest measurement (final once done). */
  latestPredictions: Int32Array | null;
  /** Decision-grid predictions at the latest measurement (2-D data). */
  latestGrid: Int32Array | null;
  /** The first layer's weights at the latest measurement, for a model that reads an image's pixels. */
  firstLayer: { step: number; layer: FirstLayerWeights } | null;
  result: StageResult | null;
}

/** A stage's trained model as the worker exported it (layers format), or why it could not be. */
export type ExportedModel = { files: LayersModelFiles; problem?: undefined } | { files: null; problem: string };

export interface RunError {
  kind: ErrorKind | 'crash';
  message: string;
  problems?: string[];
}

export interface RunState {
  status: RunStatus;
  runId: number;
  /** The config of the run on screen. */
  config: ExperimentConfig | null;
  backendChoice: BackendChoice;
  backend: BackendReport | null;
  start: ExperimentStart | null;
  stages: StageView[];
  /** The experiment's characteristic plots, as streamed (see core/experiments/charts.ts). */
  charts: ChartData[];
  /** Language models: what each model wrote from the prompt, at each measurement, as streamed. */
  samples: TextSample[];
  result: ExperimentResult | null;
  /** Trained models by stage name, for download (kept in memory for the run on screen only). */
  models: Record<string, ExportedModel>;
  error: RunError | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export const initialRunState: RunState = {
  status: 'idle',
  runId: 0,
  config: null,
  backendChoice: 'auto',
  backend: null,
  start: null,
  stages: [],
  charts: [],
  samples: [],
  result: null,
  models: {},
  error: null,
  startedAt: null,
  finishedAt: null,
};

/** A run has been asked for: earlier results stay visible until its first event arrives. */
export function runRequested(state: RunState, runId: number, config: ExperimentConfig, now: number): RunState {
  return { ...state, status: 'starting', runId, config, error: null, startedAt: now, finishedAt: null };
}

function updateStage(stages: StageView[], name: string, change: (stage: StageView) => StageView): StageView[] {
  return stages.map((stage) => (stage.name === name ? change(stage) : stage));
}

/** Applies a batch of worker messages (already filtered to the current run). */
export function applyMessages(state: RunState, messages: FromWorker[], now: number): RunState {
  let next = state;
  for (const message of messages) {
    if (message.runId !== next.runId) continue;
    switch (message.type) {
      case 'backend':
        next = { ...next, backend: message.backend };
        break;
      case 'paused':
        if (next.status === 'running' || next.status === 'paused') next = { ...next, status: message.paused ? 'paused' : 'running' };
        break;
      case 'progress': {
        const event = message.event;
        if (event.type === 'experiment-start') {
          // The new run's first data: now the old run's view is replaced.
          next = {
            ...next,
            status: next.status === 'paused' ? 'paused' : 'running',
            start: event,
            result: null,
            models: {},
            charts: [],
            samples: [],
            stages: event.stages.map((s) => ({
              ...s,
              model: null,
              parameters: null,
              totalSteps: 0,
              history: [],
              status: 'waiting',
              latestPredictions: null,
              latestGrid: null,
              firstLayer: null,
              result: null,
            })),
          };
        } else if (event.type === 'stage-start') {
          next = {
            ...next,
            stages: updateStage(next.stages, event.stage, (s) => ({
              ...s,
              status: 'training',
              model: event.model,
              parameters: event.parameters,
              totalSteps: event.totalSteps,
            })),
          };
        } else if (event.type === 'step') {
          const { testPredictions, probePredictions, totalSteps, ...point } = event;
          const metric: MetricPoint = {
            step: point.step,
            epoch: point.epoch,
            loss: point.loss,
            testAccuracy: point.testAccuracy,
            validationAccuracy: point.validationAccuracy,
            learningRate: point.learningRate,
            ...(point.taidT !== undefined ? { taidT: point.taidT } : {}),
            ...(point.bitsPerCharacter !== undefined ? { bitsPerCharacter: point.bitsPerCharacter } : {}),
          };
          next = {
            ...next,
            stages: updateStage(next.stages, event.stage, (s) => ({
              ...s,
              totalSteps,
              history: [...s.history, metric],
              latestPredictions: testPredictions,
              latestGrid: probePredictions ?? s.latestGrid,
            })),
          };
        } else if (event.type === 'text-sample') {
          next = { ...next, samples: [...next.samples, event.sample] };
        } else if (event.type === 'first-layer') {
          next = { ...next, stages: updateStage(next.stages, event.stage, (s) => ({ ...s, firstLayer: { step: event.step, layer: event.layer } })) };
        } else if (event.type === 'chart' || event.type === 'chart-point') {
          next = { ...next, charts: applyChartEvent(next.charts, event) };
        } else if (event.type === 'stage-end') {
          next = {
            ...next,
            stages: updateStage(next.stages, event.stage, (s) => ({
              ...s,
              status: 'done',
              history: event.result.history,
              latestPredictions: event.result.testPredictions,
              latestGrid: event.result.gridPredictions ?? s.latestGrid,
              result: event.result,
            })),
          };
        }
        break;
      }
      case 'model':
        next = {
          ...next,
          models: {
            ...next.models,
            [message.stage]: message.files ? { files: message.files } : { files: null, problem: message.problem ?? 'it could not be exported' },
          },
        };
        break;
      case 'done':
        next = {
          ...next,
          status: 'done',
          result: message.result,
          charts: message.result.charts,
          samples: message.result.language?.samples ?? next.samples,
          finishedAt: now,
        };
        break;
      case 'cancelled':
        next = { ...next, status: 'cancelled', stages: stopTraining(next.stages), finishedAt: now };
        break;
      case 'error':
        next = {
          ...next,
          status: 'error',
          stages: stopTraining(next.stages),
          error: { kind: message.kind, message: message.message, problems: message.problems },
          finishedAt: now,
        };
        break;
    }
  }
  return next;
}

/** The run ended: the model that was training stops where it was; finished models keep their results. */
function stopTraining(stages: StageView[]): StageView[] {
  return stages.some((s) => s.status === 'training') ? stages.map((s) => (s.status === 'training' ? { ...s, status: 'stopped' } : s)) : stages;
}

export function crashed(state: RunState, reason: string, now: number): RunState {
  return {
    ...state,
    status: 'error',
    stages: stopTraining(state.stages),
    error: { kind: 'crash', message: `The training worker crashed: ${reason}` },
    finishedAt: now,
  };
}
