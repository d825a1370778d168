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
