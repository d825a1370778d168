/**
 * The TensorFlow.js layers format as the project writes it: `model.json` (topology, weights manifest, metadata) and
 * one weights file. No tfjs here: the page writes the files the worker made (models/export-layers.ts).
 */

/** A trained model in layers format, as the worker hands it to the page. */
export interface LayersModelFiles {
  /** model.json's `modelTopology`: the Keras-style description of every layer. */
  modelTopology: object;
  format: string;
  generatedBy: string;
  convertedBy: string | null;
  /** Names, shapes and dtypes of the weights, in the order of `weightData`. */
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  /** Every weight, float32, little-endian, one after another: the weights file. */
  weightData: ArrayBuffer;
  /** What the model is and where it came from: model.json's `userDefinedMetadata`. */
  userDefinedMetadata?: Record<string, unknown>;
}

/**
 * model.json's text for these files, its weights manifest naming `weightsFile` (a name beside model.json: what
 * `tf.loadLayersModel` fetches, and what `tf.io.browserFiles` matches).
 */
export function modelJsonText(files: LayersModelFiles, weightsFile: string): string {
  const json = {
    format: files.format,
    generatedBy: files.generatedBy,
    convertedBy: files.convertedBy,
    modelTopology: files.modelTopology,
    weightsManifest: [{ paths: [weightsFile], weights: files.weightSpecs }],
    ...(files.userDefinedMetadata ? { userDefinedMetadata: files.userDefinedMetadata } : {}),
  };
  return `${JSON.stringify(json, null, 1)}\n`;
}

/** What the page knows about a run when it exports one of its models. */
export interface ExportContext {
  config: unknown;
  backend: string;
  dataset: { id: string; name: string; kind: 'image' | 'tabular' | 'toy' | 'text'; classNames: string[]; featureShape: number[] };
}

const INPUT_SCALING = {
  image: 'pixel values scaled to [0, 1] (divided by the largest value the dataset can hold, 255 for MNIST)',
  tabular: "each column standardised with the training split's mean and standard deviation (not part of the model)",
  toy: 'the 2-D coordinates as generated',
  text: 'the characters before the position, oldest first, each as its index in classNames (the alphabet)',
} as const;

/**
 * model.json's userDefinedMetadata for a stage's model: the stage's results (without per-example arrays and the
 * curve), the run's config, the classes and what the inputs must look like. `model.getUserDefinedMetadata()`
 * returns it after `tf.loadLayersModel`.
 */
export function stageMetadata(stage: { name: string; label: string; role: string } & Record<string, unknown>, context: ExportContext): Record<string, unknown> {
  const { history: _history, testPredictions: _test, bestTestPredictions: _best, gridPredictions: _grid, ...results } = stage;
  const { featureShape, kind } = context.dataset;
  return {
    distillery: {
      formatVersion: 1,
      model: `${stage.label}: ${stage.role}`,
      weights: 'the final checkpoint (its test accuracy is results.accuracy)',
      input: {
        features: featureShape.reduce((a, b) => a * b, 1),
        featureShape,
        layout: featureShape.length > 1 ? 'one flat row per example, the image row by row (height, width, channels)' : 'one row per example',
        scaling: INPUT_SCALING[kind],
      },
      output: 'logits, one per class in the order of classNames (softmax gives probabilities)',
      classNames: context.dataset.classNames,
      dataset: { id: context.dataset.id, name: context.dataset.name },
      backend: context.backend,
      results,
      config: context.config,
    },
  };
}
