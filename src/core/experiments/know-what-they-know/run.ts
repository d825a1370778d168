/**
 * Do models know what they know? (Kadavath et al. 2022; shared/METHODS.md section 5). The classifier trains on its
 * labelled images; its last hidden layer (frozen, standardised with the held-out set's statistics) feeds a P(IK)
 * head with two outputs, trained with cross-entropy (binary, as a softmax over wrong and right) on held-out images
 * to predict whether the classifier's answer is right. Measured on the test images (right and wrong answers) and on
 * out-of-distribution images, where no answer is right: AUROC (live, as the head trains), reliability diagrams and
 * ECE, for P(IK) and for the classifier's own softmax confidence.
 */
import { DATASETS } from '../../config/datasets';
import { buildSplits } from '../../data/splits';
import { featuresOf, predictValues } from '../../evaluate';
import { argmaxRows, auroc, calibrationError, outcomeReliabilityBins } from '../../metrics';
import { buildModel, type Model } from '../../models/model';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import { createModel, oneHot, openExperiment } from '../open';
import { assembleResult } from '../result';
import { runStage } from '../stage';
import { knowWhatTheyKnow, type KnowWhatTheyKnowConfig } from './spec';

/** 1 where the prediction is the label. */
const rightness = (predictions: Int32Array, labels: Int32Array) => Int32Array.from(predictions, (p, i) => (p === labels[i] ? 1 : 0));

/** The largest probability of each row. */
function topProbability(probabilities: Float32Array, numClasses: number): Float64Array {
  const rows = probabilities.length / numClasses;
  return Float64Array.from({ length: rows }, (_, i) => Math.max(...probabilities.subarray(i * numClasses, (i + 1) * numClasses)));
}

/** Scores of positives and negatives side by side, for an AUROC of `positives` against `negatives`. */
function pooled(positives: ArrayLike<number>, negatives: ArrayLike<number>): { scores: Float64Array; positive: Uint8Array } {
  const scores = Float64Array.from([...Array.from(positives), ...Array.from(negatives)]);
  const positive = Uint8Array.from({ length: scores.length }, (_, i) => (i < positives.length ? 1 : 0));
  return { scores, positive };
}

export async function runKnowWhatTheyKnow(ctx: RunContext<KnowWhatTheyKnowConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = knowWhatTheyKnow.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const { trainSize, calibrationSize, validationSize, oodDataset, oodSize } = config.data;
  const opened = await openExperiment(
    config,
    ctx,
    [
      { name: 'train', size: trainSize },
      { name: 'calibration', size: calibrationSize },
      { name: 'V', size: validationSize },
    ],
    stages,
  );
  const { data, numClasses, scope, test } = opened;
  const ood = (await buildSplits({ dataset: oodDataset, noise: 0, testSize: oodSize, parts: [] }, ctx.seed, ctx.assets)).test;
  const oodName = DATASETS[oodDataset].name;
  const train = scope.split(data.parts.train, data.featureSize);
  const calibration = scope.split(data.parts.calibration, data.featureSize);
  const V = validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;
  const oodX = scope.own(tf.tensor2d(ood.x, [ood.count, data.featureSize]));

  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'pik-auroc',
    title: 'Does P(IK) know when the answer is right? (AUROC)',
    kind: 'line',
    xLabel: 'P(IK) head training step',
    yLabel: 'AUROC',
    yDomain: [0, 1],
    series: [
      { key: 'in', label: `P(IK): right vs wrong answers on ${data.name}` },
      { key: 'out', label: `P(IK): right answers vs ${oodName}` },
      { key: 'softmax-in', label: 'softmax confidence, right vs wrong', dashed: true },
      { key: 'softmax-out', label: `softmax confidence, right answers vs ${oodName}`, dashed: true },
    ],
    note: `The chance that a right answer scores above a wrong one (0.5: a coin; 1: perfect). On ${oodName}, shown only at test time, every answer counts as wrong. Dashed: the classifier's top softmax probability, for reference.`,
  });
  charts.declare({
    id: 'reliability',
    title: 'Reliability: share right against confidence',
    kind: 'line',
    xLabel: 'mean confidence in the bin',
    yLabel: 'share of answers right',
    yDomain: [0, 1],
    percent: true,
    series: [
      { key: 'pik-in', label: `P(IK) on ${data.name}` },
      { key: 'pik-out', label: `P(IK) on ${oodName}` },
      { key: 'softmax-in', label: `softmax on ${data.name}`, dashed: true },
      { key: 'softmax-out', label: `softmax on ${oodName}`, dashed: true },
      { key: 'diagonal', label: 'perfect calibration', dashed: true },
    ],
    note: 'Ten bins of equal width over confidence; each point is a non-empty bin at its mean confidence, with its count in the label. On the diagonal a confidence of 70% is right 70% of the time.',
  });
  charts.declare({
    id: 'pik-summary',
    title: 'AUROC and calibration error, in and out of distribution',
    kind: 'bar',
    xLabel: 'confidence',
    yLabel: 'value',
    yDomain: [0, 1],
    series: [
      { key: 'auroc-in', label: 'AUROC in distribution' },
      { key: 'auroc-out', label: 'AUROC out of distribution' },
      { key: 'ece-in', label: 'ECE in distribution' },
      { key: 'ece-out', label: 'ECE out of distribution' },
    ],
    note: 'AUROC: higher is better; ECE (expected calibration error, 10 bins): lower is better.',
  });

  try {
    // 1. The classifier.
    const classifierModel = scope.model(await createModel(config.student.model, data, ctx, 'init:classifier'));
    const classifier = await runStage({
      info: info('student'),
      model: classifierModel,
      train: config.student.train,
      loss: { type: 'xent' },
      data: { inputs: train.x, targets: scope.own(oneHot(train.y, numClasses)) },
      test: { inputs: test.x, labels: test.y },
      validation: V ? { inputs: V.x, labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'classifier',
      testLabels: data.test.y,
      ctx,
    });
    scope.own(classifier.testLogits);

    // Its answers and softmax confidence on every set, and whether each answer is right.
    const softmaxOf = (x: Tensor2D) => predictValues(classifierModel, x, ctx.signal, (logits) => tf.softmax(logits) as Tensor2D);
    const [onCalibration, onTest, onOod] = [await softmaxOf(calibration.x), await softmaxOf(test.x), await softmaxOf(oodX)];
    const calibrationRight = rightness(argmaxRows(onCalibration, numClasses), data.parts.calibration.y);
    const testRight = rightness(argmaxRows(onTest, numClasses), data.test.y);
    const validationRight = V ? rightness(argmaxRows(await softmaxOf(V.x), numClasses), data.parts.V.y) : null;
    const softmaxIn = topProbability(onTest, numClasses);
    const softmaxOut = topProbability(onOod, numClasses);

    // 2. The P(IK) head on the hidden layer, standardised with the held-out set's statistics.
    const hidden = async (x: Tensor2D) => scope.own(await featuresOf(classifierModel, x, ctx.signal));
    const [calibrationHidden, testHidden, oodHidden, validationHidden] = [
      await hidden(calibration.x),
      await hidden(test.x),
      await hidden(oodX),
      V ? await hidden(V.x) : null,
    ];
    const { mean, variance } = tf.moments(calibrationHidden, 0);
    const scale = scope.own(tf.tidy(() => tf.div(1, tf.sqrt(tf.add(variance, 1e-6)))));
    scope.own(mean);
    variance.dispose();
    const standardise = (h: Tensor2D) => scope.own(tf.tidy(() => tf.mul(tf.sub(h, mean), scale) as Tensor2D));
    const inputs = { calibration: standardise(calibrationHidden), test: standardise(testHidden), ood: standardise(oodHidden) };
    const validationInputs = validationHidden ? standardise(validationHidden) : null;
    const width = calibrationHidden.shape[1];
    const head: Model = scope.model(buildModel(config.pik.model, { featureShape: [width], numClasses: 2, rng: ctx.rng.fork('init:pik') }));
    const pOfRight = (x: Tensor2D) => predictValues(head, x, ctx.signal, (logits) => tf.slice(tf.softmax(logits), [0, 1], [-1, 1]) as Tensor2D);
    const softmaxAurocIn = auroc(softmaxIn, testRight);
    const softmaxOutPooled = pooled(
      softmaxIn.filter((_, i) => testRight[i] === 1),
      softmaxOut,
    );
    const softmaxAurocOut = auroc(softmaxOutPooled.scores, softmaxOutPooled.positive);
    /** AUROC of P(IK) in distribution (right vs wrong answers) and out of it (right answers vs foreign images). */
    const pikAuroc = async () => {
      const [inside, outside] = [await pOfRight(inputs.test), await pOfRight(inputs.ood)];
      const out = pooled(
        inside.filter((_, i) => testRight[i] === 1),
        outside,
      );
      return { inside, outside, aurocIn: auroc(inside, testRight), aurocOut: auroc(out.scores, out.positive) };
    };

    const testRightTensor = scope.own(tf.tensor1d(testRight, 'int32'));
    const pik = await runStage({
      info: info('pik'),
      model: head,
      train: config.pik.train,
      loss: { type: 'xent' },
      data: { inputs: inputs.calibration, targets: scope.own(oneHot(scope.own(tf.tensor1d(calibrationRight, 'int32')), 2)) },
      test: { inputs: inputs.test, labels: testRightTensor },
      validation: validationInputs && validationRight ? { inputs: validationInputs, labels: scope.own(tf.tensor1d(validationRight, 'int32')) } : undefined,
      validationLabelledBy: "whether the classifier's answer was right",
      shuffleKey: 'pik',
      testLabels: testRight,
      ctx,
      afterMeasure: async (step) => {
        const { aurocIn, aurocOut } = await pikAuroc();
        charts.add('pik-auroc', 'in', { x: step, y: aurocIn });
        charts.add('pik-auroc', 'out', { x: step, y: aurocOut });
        charts.add('pik-auroc', 'softmax-in', { x: step, y: softmaxAurocIn });
        charts.add('pik-auroc', 'softmax-out', { x: step, y: softmaxAurocOut });
      },
    });
    scope.own(pik.testLogits);

    // 3. Reliability and the summary, of the final head.
    const final = await pikAuroc();
    const never = new Uint8Array(ood.count);
    const reliability = {
      'pik-in': outcomeReliabilityBins(final.inside, testRight),
      'pik-out': outcomeReliabilityBins(final.outside, never),
      'softmax-in': outcomeReliabilityBins(softmaxIn, testRight),
      'softmax-out': outcomeReliabilityBins(softmaxOut, never),
    };
    for (const [series, bins] of Object.entries(reliability)) {
      for (const bin of bins)
        if (bin.count > 0) charts.add('reliability', series, { x: bin.meanConfidence as number, y: bin.correct / bin.count, label: `${bin.count} answers` });
    }
    charts.add('reliability', 'diagonal', { x: 0, y: 0 });
    charts.add('reliability', 'diagonal', { x: 1, y: 1 });
    const summary = [
      { label: 'P(IK)', aurocIn: final.aurocIn, aurocOut: final.aurocOut, eceIn: reliability['pik-in'], eceOut: reliability['pik-out'] },
      { label: 'softmax confidence', aurocIn: softmaxAurocIn, aurocOut: softmaxAurocOut, eceIn: reliability['softmax-in'], eceOut: reliability['softmax-out'] },
    ];
    summary.forEach((s, x) => {
      charts.add('pik-summary', 'auroc-in', { x, y: s.aurocIn, label: s.label });
      charts.add('pik-summary', 'auroc-out', { x, y: s.aurocOut, label: s.label });
      charts.add('pik-summary', 'ece-in', { x, y: calibrationError(s.eceIn), label: s.label });
      charts.add('pik-summary', 'ece-out', { x, y: calibrationError(s.eceOut), label: s.label });
    });

    const onTrain = argmaxRows(await predictValues(classifierModel, train.x, ctx.signal), numClasses);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { student: classifier.result, pik: pik.result },
      lowerBestAccuracy: classifier.result.bestAccuracy,
      definition: "no gap ratio: P(IK)'s AUROC and calibration, in and out of distribution, are in the charts",
      transfer: { label: data.parts.train.y, supervisor: onTrain, student: onTrain },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
