/**
 * A trained model in TensorFlow.js layers format (`model.json` + a weights file), so that it can leave the page:
 * `tf.loadLayersModel` reads it and gives the predictions the project's own forward function gives.
 *
 * The project's models are variables plus a forward function (model.ts); each also describes itself as a stack of
 * standard layers (Model.inference). Here that stack becomes a `tf.sequential` with the model's current weights,
 * saved through `tf.io.withSaveHandler` into memory. Layer names are fixed (dense_1, conv2d_1...), so the same
 * weights give the same files.
 */
import type { LayersModelFiles } from './layers-format';
import type { Model } from './model';
import { tf } from '../tf';

/** The model's inference layers as a tf.sequential holding copies of its weights (the caller disposes it). */
export function toSequential(model: Model): tf.Sequential {
  const layers = model.inference;
  const first = layers[0];
  if (!first) throw new Error(`${model.description} has no layers to export`);
  const inputSize =
    first.type === 'dense'
      ? first.kernel.shape[0]
      : first.type === 'reshape'
        ? first.targetShape.reduce((a, b) => a * b, 1)
        : first.type === 'embedding'
          ? first.inputLength
          : NaN;
  if (!Number.isInteger(inputSize)) throw new Error(`${model.description}: its first layer (${first.type}) does not say how many inputs it takes`);
  const sequential = tf.sequential({ name: 'distillery_model' });
  const counts: Record<string, number> = {};
  const nameOf = (type: string) => `${type.toLowerCase()}_${(counts[type] = (counts[type] ?? 0) + 1)}`;
  // Zeros: the weights are set right after, so nothing random is drawn.
  const init = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const weighted: [tf.layers.Layer, tf.Tensor[]][] = [];
  layers.forEach((layer, i) => {
    const input = i === 0 ? { inputShape: [inputSize] } : {};
    switch (layer.type) {
      case 'dense': {
        const dense = tf.layers.dense({ ...input, ...init, name: nameOf('dense'), units: layer.kernel.shape[1] as number, activation: layer.activation });
        sequential.add(dense);
        weighted.push([dense, [layer.kernel, layer.bias]]);
        break;
      }
      case 'reshape':
        sequential.add(tf.layers.reshape({ ...input, name: nameOf('reshape'), targetShape: layer.targetShape }));
        break;
      case 'conv2d': {
        const conv = tf.layers.conv2d({
          ...input,
          ...init,
          name: nameOf('conv2d'),
          filters: layer.kernel.shape[3] as number,
          kernelSize: 3,
          strides: 1,
          padding: 'same',
          dataFormat: 'channelsLast',
          activation: 'relu',
        });
        sequential.add(conv);
        weighted.push([conv, [layer.kernel, layer.bias]]);
        break;
      }
      case 'maxPooling2d':
        sequential.add(
          tf.layers.maxPooling2d({ ...input, name: nameOf('max_pooling2d'), poolSize: 2, strides: 2, padding: 'same', dataFormat: 'channelsLast' }),
        );
        break;
      case 'flatten':
        sequential.add(tf.layers.flatten({ ...input, name: nameOf('flatten') }));
        break;
      case 'embedding': {
        const [inputDim, outputDim] = layer.table.shape as [number, number];
        const embedding = tf.layers.embedding({ ...input, name: nameOf('embedding'), inputDim, outputDim, embeddingsInitializer: 'zeros' });
        sequential.add(embedding);
        weighted.push([embedding, [layer.table]]);
        break;
      }
    }
  });
  // setWeights copies the values: the sequential owns its weights and the model keeps training untouched.
  for (const [layer, weights] of weighted) layer.setWeights(weights);
  return sequential;
}

/** The model with its current weights in layers format; `metadata` goes in model.json's userDefinedMetadata. */
export async function exportLayersModel(model: Model, metadata?: Record<string, unknown>): Promise<LayersModelFiles> {
  const sequential = toSequential(model);
  try {
    if (metadata) sequential.setUserDefinedMetadata(metadata);
    let saved: tf.io.ModelArtifacts | null = null;
    await sequential.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const artifacts = saved as tf.io.ModelArtifacts | null;
    if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) throw new Error(`${model.description} could not be saved`);
    return {
      modelTopology: artifacts.modelTopology as object,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: artifacts.convertedBy ?? null,
      weightSpecs: artifacts.weightSpecs.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
      weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata as Record<string, unknown> } : {}),
    };
  } finally {
    sequential.dispose();
  }
}
