/** The files a trained model downloads as: TensorFlow.js layers format, named as tfjs's own `downloads://` names them. */
import { modelJsonText, type LayersModelFiles } from '../../core/models/layers-format';

export interface DownloadFile {
  name: string;
  content: string | Uint8Array;
  type: string;
}

/**
 * `<base>.json` (model.json: topology, weights manifest, and in userDefinedMetadata the config and the stage's
 * results) and `<base>.weights.bin`, which model.json names: `tf.loadLayersModel` loads them from a folder served
 * over HTTP, and `tf.io.browserFiles([json, weights])` from a file input.
 */
export function modelFiles(base: string, files: LayersModelFiles): DownloadFile[] {
  const weights = `${base}.weights.bin`;
  return [
    { name: `${base}.json`, content: modelJsonText(files, weights), type: 'application/json' },
    { name: weights, content: new Uint8Array(files.weightData), type: 'application/octet-stream' },
  ];
}
