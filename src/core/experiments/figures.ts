/**
 * What a run measures, stage by stage, without its config: the part of the contract that kind specs and captions
 * read (contract.ts adds the config and the events). Types only: no tfjs, no DOM.
 */
import type { MistakeBreakdown, ReliabilityBin } from '../metrics';
import type { ChartData } from './charts';

export interface MetricPoint {
  step: number;
  epoch: number;
  /** Mean training loss since the previous point (NaN at step 0). */
  loss: number;
  testAccuracy: number;
  /** Agreement with the validation labels, or null without a validation split. */
  validationAccuracy: number | null;
  learningRate: number;
  /** TAID's interpolation parameter, when the loss is TAID. */
  taidT?: number;
  /** Language models: mean cross-entropy of the held-out text's characters, in bits per character. */
  bitsPerCharacter?: number;
}

export interface StepEvent extends MetricPoint {
  totalSteps: number;
  /** The model's predicted class on every test example at this point. */
  testPredictions: Int32Array;
  /** Predicted class at each point of TrainOptions.probe (e.g. a 2-D grid for decision regions). */
  probePredictions?: Int32Array;
}

export interface StageInfo {
  name: string;
  label: string;
  /** What this model is, in a sentence for people. */
  role: string;
}

export interface StageResult extends StageInfo {
  model: string;
  parameters: number;
  trainingExamples: number;
  /** Final checkpoint's test accuracy. */
  accuracy: number;
  /** Test accuracy of the checkpoint chosen on the validation split (= final without one). */
  bestAccuracy: number;
  bestStep: number;
  /** How the best checkpoint was chosen. */
  bestChosenBy: string;
  /** Highest test accuracy at any measurement: an oracle, for reference only. */
  oracleBestAccuracy: number;
  totalSteps: number;
  stepsRun: number;
  stoppedEarly: boolean;
  /** Expected calibration error of the final checkpoint on test (10 bins). */
  ece: number;
  /**
   * The final checkpoint's reliability diagram on test: 10 equal-width bins of top-class probability with their
   * counts, right answers and mean confidence (`ece` is computed from them). Absent in results written before it.
   */
  reliability?: ReliabilityBin[];
  seconds: number;
  /** Present when the stage was not trained but reused: its config, data and seed were those of a stage kept earlier, trained in `seconds`. */
  reused?: { seconds: number };
  history: MetricPoint[];
  /** Final checkpoint's predicted class per test example. */
  testPredictions: Int32Array;
  /** Best checkpoint's predicted class per test example. */
  bestTestPredictions: Int32Array;
  /** Final predicted class at each decision-grid point (2-D data only). */
  gridPredictions?: Int32Array;
  /** Language models: held-out bits per character of the final model (its history has one per measurement). */
  bitsPerCharacter?: number;
}

/**
 * The first layer of a model that reads an image's pixels (a linear model, an MLP), as images: unit u's weight
 * for pixel p is at u * height * width + p. At most FIRST_LAYER_UNITS units are sent.
 */
export interface FirstLayerWeights {
  height: number;
  width: number;
  /** Units sent (the first ones of the layer). */
  units: number;
  /** Units the layer has. */
  totalUnits: number;
  weights: Float32Array;
}

/** A square grid over 2-D data on which models' decision regions are drawn. */
export interface DecisionGrid {
  /** [xMin, xMax, yMin, yMax] */
  bounds: [number, number, number, number];
  /** Points per side; point (i, j) is row j * resolution + i. */
  resolution: number;
}

/** One student of several, measured as the headline student is: accuracies, gap ratio, beats and copies on test. */
export interface StudentSummary {
  stage: string;
  label: string;
  accuracy: number;
  bestAccuracy: number;
  /** The gap ratio (PGR, gap closed) against the same lower and upper models as the headline. */
  gap: { final: number | null; best: number | null };
  /** Against the supervisor on the test set: beatRate, copyRate... */
  mistakes: MistakeBreakdown;
}

/** Language models: what a model wrote after the prompt at one measurement, and how surprising it found each character. */
export interface TextSample {
  stage: string;
  step: number;
  /** The prompt as the model read it. */
  prompt: string;
  /** What it wrote after the prompt. */
  text: string;
  /** Surprisal of each character of prompt + text under the model, in bits: -log2 p(character | the characters before it). */
  bits: number[];
}

/** Language models: the prompt as asked and as read, and every sample, in the order they were written. */
export interface LanguageReport {
  prompt: { asked: string; used: string; notes: string[] };
  samples: TextSample[];
}

/** Everything a finished run reports but its kind and config: what captions and summaries read. */
export interface ResultFigures {
  formatVersion: 1;
  backend: string;
  dataset: { id: string; name: string; classNames: string[]; testSize: number; transferSize: number };
  stages: Record<string, StageResult>;
  /** Names of the stages in the roles the metrics use. */
  roles: { supervisor: string; reference: string; student: string };
  pgr: {
    /** What the ratio means for this kind of experiment. */
    definition: string;
    final: number | null;
    best: number | null;
    /** From the oracle checkpoints (best on test): for reference, never a headline. */
    oracleBest: number | null;
    reason: string | null;
  };
  mistakes: { test: MistakeBreakdown; transfer: MistakeBreakdown };
  /** The experiment's characteristic plots beyond the training curves (see charts.ts). */
  charts: ChartData[];
  /** Every student compared side by side (kinds whose roles name `students`), against the same supervisor and gap. */
  students?: StudentSummary[];
  /** Language models: the prompt and what each model wrote. */
  language?: LanguageReport;
  predictions: {
    test: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
    transfer: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
  };
  seconds: number;
}
