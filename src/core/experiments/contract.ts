/**
 * What an experiment reports, as the page, the CLI and results files read it: the progress events and the
 * results (the figures of figures.ts with the run's kind and config). Types only: no tfjs, no DOM.
 */
import type { ExperimentConfig } from '../config/schema';
import type { ChartEvent } from './charts';
import type { DecisionGrid, FirstLayerWeights, ResultFigures, StageInfo, StageResult, StepEvent, TextSample } from './figures';
import type { ExperimentKind } from './kinds';

export interface ExperimentStart {
  type: 'experiment-start';
  kind: ExperimentKind;
  dataset: string;
  datasetKind: 'image' | 'tabular' | 'toy' | 'text';
  classNames: string[];
  stages: StageInfo[];
  /** The test examples exactly as the models see them, for galleries and plots. */
  test: { features: Float32Array; featureShape: number[]; labels: Int32Array };
  grid: DecisionGrid | null;
}

export type ExperimentEvent =
  | ExperimentStart
  | { type: 'stage-start'; stage: string; label: string; model: string; parameters: number; totalSteps: number; trainingExamples: number }
  | ({ type: 'step'; stage: string } & StepEvent)
  | { type: 'stage-end'; stage: string; result: StageResult }
  | { type: 'text-sample'; sample: TextSample }
  /** At each measurement of a model that reads an image's pixels: its first layer's weights (see FirstLayerWeights). */
  | { type: 'first-layer'; stage: string; step: number; layer: FirstLayerWeights }
  | ChartEvent;

export interface ExperimentResult extends ResultFigures {
  kind: ExperimentKind;
  config: ExperimentConfig;
}
