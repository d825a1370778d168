/** The dense kernels (kernels.ts) as differentiable ops for the models. */
import { tf, type Tensor2D } from '../../tf';
import { DENSE_BACKWARD, DENSE_FORWARD } from './kernels';

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/**
 * tf.fused.matMul's choice: it fuses the bias and activation into the product (bias first) unless gradients are
 * being recorded and the activation is not linear; then it runs the product, an Add and the activation.
 */
function biasFirst(relu: boolean): boolean {
  return !relu || (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth === 0;
}

function forward(x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D, relu: boolean): Tensor2D {
  return tf.engine().runKernel(DENSE_FORWARD, { x, kernel, bias }, { relu, biasFirst: biasFirst(relu) }) as Tensor2D;
}

function backward(dy: Tensor2D, x: Tensor2D, kernel: Tensor2D, y: Tensor2D, relu: boolean, inputGradient: boolean): tf.Tensor[] {
  return tf.engine().runKernel(DENSE_BACKWARD, { dy, x, kernel, y }, { relu, inputGradient }) as unknown as tf.Tensor[];
}

function layerWithInputGradient(relu: boolean) {
  return tf.customGrad(((x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = forward(x, kernel, bias, relu);
    save([x, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor2D, saved: tf.Tensor[]) => {
        const [input, output] = saved as Tensor2D[];
        const [dKernel, dBias, dx] = backward(dy, input, kernel, output, relu, true);
        return [dx, dKernel, dBias];
      },
    };
  }) as unknown as CustomGradFn) as unknown as (x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D) => Tensor2D;
}

const withInputGradient = { relu: layerWithInputGradient(true), linear: layerWithInputGradient(false) };

/**
 * A dense layer y = act(x kernel + bias), act ReLU or linear, in one kernel forward and one backward. `inputIsData`:
 * x is data, not another layer's output, so no gradient is computed for it. The kernel is not saved for the backward
 * pass (tfjs saves a copy): it is a model's weight, alive until the step's update, read where it is.
 */
export function denseLayer(x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D, activation: 'relu' | 'linear', inputIsData: boolean): Tensor2D {
  const relu = activation === 'relu';
  if (!inputIsData) return withInputGradient[activation](x, kernel, bias);
  const op = tf.customGrad(((k: Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = forward(x, k, b, relu);
    save([x, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor2D, saved: tf.Tensor[]) => {
        const [input, output] = saved as Tensor2D[];
        return backward(dy, input, k, output, relu, false);
      },
    };
  }) as unknown as CustomGradFn) as unknown as (k: Tensor2D, b: tf.Tensor1D) => Tensor2D;
  return op(kernel, bias);
}
