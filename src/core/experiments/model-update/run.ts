/**
 * Compatible model updates (MUSCLE, Echterhoff et al. 2024; shared/METHODS.md section 5). The old model trains on
 * its own examples; the new model trains on other examples twice from the same start and on the same batches:
 * alone (cross-entropy), and as a compatible update, L = CE(y, p_new) + lambda 1[old right] KL(p_old || p_new).
 * The negative flip rate of each new model against the old one is plotted as it trains.
 */
import { argmaxRows } from '../../metrics';
import type { TrainingLoss } from '../../losses';
import { predict, predictValues } from '../../evaluate';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import { createModel, oneHot, openExperiment } from '../open';
import { assembleResult } from '../result';
import { runStage, type StageRun } from '../stage';
import { flipRates, modelUpdate, NEGATIVE_FLIP_DEFINITION, type ModelUpdateConfig } from './spec';

export async function runModelUpdate(ctx: RunContext<ModelUpdateConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = modelUpdate.stages(config);
  const [oldInfo, newInfo, compatibleInfo] = stages;
  const { oldSize, newSize, validationSize } = config.data;
  const { data, numClasses, scope, test, grid } = await openExperiment(
    config,
    ctx,
    [
      { name: 'old', size: oldSize },
      { name: 'new', size: newSize },
      { name: 'V', size: validationSize },
    ],
    stages,
  );
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'negative-flips',
    title: 'Negative flips while the new model trains',
    kind: 'line',
    xLabel: 'step',
    yLabel: 'negative flip rate',
    percent: true,
    series: [
      { key: 'new', label: newInfo.label },
      { key: 'compatible', label: compatibleInfo.label },
    ],
    note: 'Share of test examples the old model gets right and the new model gets wrong, at each measurement.',
  });
  charts.declare({
    id: 'flips',
    title: 'Negative and positive flips of each update',
    kind: 'bar',
    xLabel: 'model',
    yLabel: 'share of test examples',
    percent: true,
    series: [
      { key: 'negative', label: 'negative flips (old right, new wrong)', color: '#d62728' },
      { key: 'positive', label: 'positive flips (old wrong, new right)', color: '#2ca02c' },
    ],
    note: "The new model's accuracy is the old model's plus positive flips minus negative flips.",
  });

  try {
    const oldPart = scope.split(data.parts.old, data.featureSize);
    const newPart = scope.split(data.parts.new, data.featureSize);
    const V = validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;
    const encode = (model: Parameters<typeof scope.cache.encode>[0], split: string, raw: Tensor2D) => scope.cache.encode(model, split, raw);

    const oldModel = scope.model(await createModel(config.old.model, data, ctx, 'init:old'));
    const old = await runStage({
      info: oldInfo,
      model: oldModel,
      train: config.old.train,
      loss: { type: 'xent' },
      data: { inputs: await encode(oldModel, 'old', oldPart.x), targets: scope.own(oneHot(oldPart.y, numClasses)) },
      test: { inputs: await encode(oldModel, 'test', test.x), labels: test.y },
      validation: V ? { inputs: await encode(oldModel, 'V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'old',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(old.testLogits);
    const oldTest = old.result.testPredictions;

    // The old model on the new model's training examples: its logits, and where it is right.
    const oldLogits = scope.own(await predict(oldModel, await encode(oldModel, 'new', newPart.x), ctx.signal));
    const oldOnNew = argmaxRows((await oldLogits.data()) as Float32Array, numClasses);
    const newLabels = data.parts.new.y;
    const oldRight = scope.own(tf.tensor1d(Float32Array.from(oldOnNew, (c, i) => (c === newLabels[i] ? 1 : 0))));
    const newTruth = scope.own(oneHot(newPart.y, numClasses));

    const train = async (info: StageInfo, loss: TrainingLoss): Promise<StageRun> => {
      const model = scope.model(await createModel(config.new.model, data, ctx, 'init:new'));
      // Negative flips at every measurement, from the predictions the step event carries.
      const watched: RunContext = {
        ...ctx,
        onEvent: (event) => {
          ctx.onEvent?.(event);
          if (event.type === 'step')
            charts.add('negative-flips', info.name, { x: event.step, y: flipRates(data.test.y, oldTest, event.testPredictions).negative });
        },
      };
      const run = await runStage({
        info,
        model,
        train: config.new.train,
        loss,
        data: {
          inputs: await encode(model, 'new', newPart.x),
          targets: newTruth,
          ...(loss.type === 'compatible' ? { teacherLogits: oldLogits, oldRight } : {}),
        },
        test: { inputs: await encode(model, 'test', test.x), labels: test.y },
        validation: V ? { inputs: await encode(model, 'V', V.x), labels: V.y } : undefined,
        validationLabelledBy: 'ground truth',
        // Both new models see the same batches in the same order: only the loss differs.
        shuffleKey: 'new',
        testLabels: data.test.y,
        ctx: watched,
        grid,
      });
      scope.own(run.testLogits);
      const rates = flipRates(data.test.y, oldTest, run.result.testPredictions);
      charts.add('flips', 'negative', { x: info.name === 'new' ? 0 : 1, y: rates.negative, label: info.label });
      charts.add('flips', 'positive', { x: info.name === 'new' ? 0 : 1, y: rates.positive, label: info.label });
      return run;
    };
    const alone = await train(newInfo, { type: 'xent' });
    const compatible = await train(compatibleInfo, { type: 'compatible', lambda: config.lambda });

    const compatibleOnNew = argmaxRows(await predictValues(compatible.model, await encode(compatible.model, 'new', newPart.x), ctx.signal), numClasses);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { old: old.result, new: alone.result, compatible: compatible.result },
      lowerBestAccuracy: old.result.bestAccuracy,
      definition: `no gap ratio: compare the ${NEGATIVE_FLIP_DEFINITION} (the matrix's 'regresses') of the two new models`,
      transfer: { label: newLabels, supervisor: oldOnNew, student: compatibleOnNew },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
