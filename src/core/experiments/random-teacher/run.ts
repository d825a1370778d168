/**
 * Random teachers (Sarnthein et al. 2023, "Random Teachers are Good Teachers"; shared/METHODS.md section 3):
 * a randomly initialised network is frozen as the teacher; a student of the same architecture is trained
 * WITHOUT labels to match the teacher's output distribution (cross-entropy to the teacher's softmax) on
 * unlabelled examples. Neither network ever sees a label; a linear probe trained on a small labelled set, on the
 * frozen (standardised) last hidden layer, measures how good each one's features are. The teacher's probe
 * accuracy is fixed; the student's is measured every `probeEvery` steps.
 *
 * `initNearTeacher` = eps > 0 starts the student at teacher + eps x (an independent random initialisation).
 */
import { randomTeacher, type RandomTeacherConfig } from './spec';
import type { TrainSpec } from '../../config/blocks';
import { accuracy, argmaxRows, calibration, type ReliabilityBin } from '../../metrics';
import { buildModel, type Model } from '../../models/model';
import { featuresOf, predict, predictValues } from '../../evaluate';
import { tf, type Tensor1D, type Tensor2D } from '../../tf';
import { train } from '../../train';
import type { MetricPoint } from '../figures';
import { ChartRecorder } from '../charts';
import { assembleResult } from '../result';
import { oneHot, openExperiment } from '../open';
import type { ExperimentResult } from '../contract';
import type { StageResult } from '../figures';
import type { RunContext } from '../context';

/** What one linear probe of a network's features gives. */
export interface ProbeOutcome {
  /** Probe accuracy on test. */
  accuracy: number;
  /** Probe accuracy on the validation split (null without one). */
  validationAccuracy: number | null;
  /** Probe's predicted class per test example. */
  testPredictions: Int32Array;
  /** Probe's predicted class per example of the probe's own training set. */
  probeSetPredictions: Int32Array;
  /** Expected calibration error of the probe on test, and the reliability bins it comes from. */
  ece: number;
  reliability: ReliabilityBin[];
}

export interface ProbeData {
  probe: { x: Tensor2D; y: Tensor1D; labels: Int32Array };
  test: { x: Tensor2D; y: Tensor1D; labels: Int32Array };
  validation: { x: Tensor2D; labels: Int32Array } | null;
  numClasses: number;
}

/** A model's last hidden layer on the probe, test and validation sets, standardised with the probe set's statistics. */
async function standardisedFeatures(
  model: Model,
  data: ProbeData,
  signal: AbortSignal | undefined,
): Promise<{ probe: Tensor2D; test: Tensor2D; validation?: Tensor2D }> {
  if (!model.features) throw new Error(`${model.description} has no hidden layer for a probe to read`);
  const raw: Tensor2D[] = [];
  const read = async (x: Tensor2D) => {
    const features = await featuresOf(model, x, signal);
    raw.push(features);
    return features;
  };
  try {
    const [probe, test, validation] = [await read(data.probe.x), await read(data.test.x), data.validation ? await read(data.validation.x) : undefined];
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(probe, 0);
      const scale = tf.div(1, tf.sqrt(tf.add(variance, 1e-6)));
      const standardise = (f: Tensor2D) => tf.mul(tf.sub(f, mean), scale) as Tensor2D;
      return { probe: standardise(probe), test: standardise(test), ...(validation ? { validation: standardise(validation) } : {}) };
    }) as { probe: Tensor2D; test: Tensor2D; validation?: Tensor2D };
  } finally {
    raw.forEach((t) => t.dispose());
  }
}

/**
 * Trains a fresh linear probe (same initial weights and batch order every time) on a model's frozen last hidden
 * layer, standardised with the probe set's mean and standard deviation, and scores it.
 */
export async function linearProbe(model: Model, data: ProbeData, spec: Omit<TrainSpec, 'evalEvery' | 'patience'>, ctx: RunContext): Promise<ProbeOutcome> {
  const { probe: probeX, test: testX, validation: validationX } = await standardisedFeatures(model, data, ctx.signal);
  const width = probeX.shape[1];
  const probe = buildModel({ type: 'linear' }, { featureShape: [width], numClasses: data.numClasses, rng: ctx.rng.fork('init:probe') });
  const targets = oneHot(data.probe.y, data.numClasses);
  try {
    // Measured only at its start and end: a probe's own curve is not of interest.
    await train({
      stage: 'probe',
      model: probe,
      spec: { ...spec, evalEvery: Number.MAX_SAFE_INTEGER, patience: 0 },
      loss: { type: 'xent' },
      data: { inputs: probeX, targets },
      test: { inputs: testX, labels: data.test.y },
      rng: ctx.rng,
      signal: ctx.signal,
    });
    const probabilities = await predictValues(probe, testX, ctx.signal, (logits) => tf.softmax(logits));
    const onProbeSet = await predictValues(probe, probeX, ctx.signal);
    const onValidation = validationX ? await predictValues(probe, validationX, ctx.signal) : null;
    const testPredictions = argmaxRows(probabilities, data.numClasses);
    return {
      accuracy: accuracy(testPredictions, data.test.labels),
      validationAccuracy: onValidation && data.validation ? accuracy(argmaxRows(onValidation, data.numClasses), data.validation.labels) : null,
      testPredictions,
      probeSetPredictions: argmaxRows(onProbeSet, data.numClasses),
      ...calibration(probabilities, data.numClasses, data.test.labels),
    };
  } finally {
    [probeX, testX, validationX, targets].forEach((t) => t?.dispose());
    probe.dispose();
  }
}

/**
 * theta_student = theta_teacher + eps * theta_random, where theta_random is the student's own random
 * initialisation (its current weights). Same architecture required.
 */
export function startNearTeacher(student: Model, teacher: Model, eps: number): void {
  if (student.trainable.length !== teacher.trainable.length) throw new Error('the student and the teacher must share an architecture');
  tf.tidy(() => student.trainable.forEach((v, i) => v.assign(tf.add(teacher.trainable[i], tf.mul(v, eps)))));
}

export async function runRandomTeacher(ctx: RunContext<RandomTeacherConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const stages = randomTeacher.stages(config);
  const sizes = config.data;
  const { data, numClasses, scope, test } = await openExperiment(
    config,
    ctx,
    [
      { name: 'train', size: sizes.trainSize },
      { name: 'probe', size: sizes.probeSize },
      { name: 'V', size: sizes.validationSize },
    ],
    stages,
  );
  const unlabelled = scope.split(data.parts.train, data.featureSize);
  const probeSet = scope.split(data.parts.probe, data.featureSize);
  const V = sizes.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;
  const probeData: ProbeData = {
    probe: { x: probeSet.x, y: probeSet.y, labels: data.parts.probe.y },
    test: { x: test.x, y: test.y, labels: data.test.y },
    validation: V ? { x: V.x, labels: data.parts.V.y } : null,
    numClasses,
  };
  const recorder = new ChartRecorder((event) => ctx.onEvent?.(event));
  recorder.declare({
    id: 'probe-accuracy',
    title: 'Linear probe accuracy of the features',
    kind: 'line',
    xLabel: 'student training step',
    yLabel: 'probe test accuracy',
    series: [
      { key: 'student', label: 'student (trained to match the teacher, no labels)' },
      { key: 'teacher', label: 'random teacher (frozen)', dashed: true },
    ],
    percent: true,
    note: `A linear probe trained on ${sizes.probeSize} labelled examples reads each network's last hidden layer; neither network ever saw a label. Above the dashed line, the student learned better features than the teacher it imitates.`,
  });

  try {
    const spec = config.teacher.model;
    const modelContext = (label: string) => ({ featureShape: data.featureShape, numClasses: config.outputDim, rng: ctx.rng.fork(label) });
    const teacherModel = scope.model(buildModel(spec, modelContext('init:teacher')));
    const studentModel = scope.model(buildModel(spec, modelContext('init:student')));
    const eps = config.initNearTeacher;
    if (eps > 0) startNearTeacher(studentModel, teacherModel, eps);

    // 1. The teacher: never trained, probed once.
    const teacherInfo = stages[0];
    const teacherStarted = performance.now();
    ctx.onEvent?.({
      type: 'stage-start',
      stage: teacherInfo.name,
      label: teacherInfo.label,
      model: teacherModel.description,
      parameters: teacherModel.parameterCount(),
      totalSteps: 0,
      trainingExamples: 0,
    });
    const teacherProbe = await linearProbe(teacherModel, probeData, config.probe, ctx);
    const teacherPoint: MetricPoint = {
      step: 0,
      epoch: 0,
      loss: NaN,
      testAccuracy: teacherProbe.accuracy,
      validationAccuracy: teacherProbe.validationAccuracy,
      learningRate: 0,
    };
    ctx.onEvent?.({ type: 'step', stage: teacherInfo.name, ...teacherPoint, totalSteps: 0, testPredictions: teacherProbe.testPredictions });
    const teacherResult: StageResult = {
      ...teacherInfo,
      model: `${teacherModel.description}, random and frozen`,
      parameters: teacherModel.parameterCount(),
      trainingExamples: 0,
      accuracy: teacherProbe.accuracy,
      bestAccuracy: teacherProbe.accuracy,
      bestStep: 0,
      bestChosenBy: 'never trained: its only checkpoint',
      oracleBestAccuracy: teacherProbe.accuracy,
      totalSteps: 0,
      stepsRun: 0,
      stoppedEarly: false,
      ece: teacherProbe.ece,
      reliability: teacherProbe.reliability,
      seconds: (performance.now() - teacherStarted) / 1000,
      history: [teacherPoint],
      testPredictions: teacherProbe.testPredictions,
      bestTestPredictions: teacherProbe.testPredictions,
    };
    ctx.onEvent?.({ type: 'stage-end', stage: teacherInfo.name, result: teacherResult });

    // 2. The student: cross-entropy to the teacher's (tempered) softmax on the unlabelled examples.
    const studentInfo = stages[1];
    const studentStarted = performance.now();
    const targets = scope.own(
      await predict(teacherModel, unlabelled.x, ctx.signal, (logits) => tf.softmax(tf.div(logits, config.teacherTemperature)) as Tensor2D),
    );
    const studentTrain: TrainSpec = { ...config.student.train, evalEvery: config.probeEvery, patience: 0 };
    const perEpoch = Math.ceil(unlabelled.count / Math.min(studentTrain.batchSize, unlabelled.count));
    ctx.onEvent?.({
      type: 'stage-start',
      stage: studentInfo.name,
      label: studentInfo.label,
      model: studentModel.description,
      parameters: studentModel.parameterCount(),
      totalSteps: perEpoch * studentTrain.epochs,
      trainingExamples: unlabelled.count,
    });
    const history: MetricPoint[] = [];
    let last: ProbeOutcome = teacherProbe;
    let best = { outcome: teacherProbe, step: 0, score: -Infinity };
    let oracleBest = 0;
    let pending: { point: MetricPoint; totalSteps: number } | null = null;
    const outcome = await train({
      stage: 'student',
      model: studentModel,
      spec: studentTrain,
      loss: { type: 'xent' },
      data: { inputs: unlabelled.x, targets },
      // The loop's own test accuracy (argmax of an outputDim-wide output against class labels) means nothing
      // here; the probe below replaces it.
      test: { inputs: test.x, labels: test.y },
      rng: ctx.rng,
      signal: ctx.signal,
      beforeStep: ctx.beforeStep,
      onStep: ({ testPredictions: _unused, probePredictions: _none, totalSteps, ...point }) => {
        pending = { point, totalSteps };
      },
      afterMeasure: async () => {
        const measured = pending as { point: MetricPoint; totalSteps: number } | null;
        if (!measured) return;
        last = await linearProbe(studentModel, probeData, config.probe, ctx);
        const point: MetricPoint = { ...measured.point, testAccuracy: last.accuracy, validationAccuracy: last.validationAccuracy };
        history.push(point);
        oracleBest = Math.max(oracleBest, last.accuracy);
        // Best checkpoint: the probe's accuracy on the labelled validation split; without one, the latest.
        const score = last.validationAccuracy ?? point.step;
        if (score > best.score) best = { outcome: last, step: point.step, score };
        ctx.onEvent?.({ type: 'step', stage: studentInfo.name, ...point, totalSteps: measured.totalSteps, testPredictions: last.testPredictions });
        recorder.add('probe-accuracy', 'student', { x: point.step, y: last.accuracy });
        recorder.add('probe-accuracy', 'teacher', { x: point.step, y: teacherProbe.accuracy });
      },
    });
    outcome.bestWeights?.forEach((w) => w.dispose());
    const studentResult: StageResult = {
      ...studentInfo,
      model: eps > 0 ? `${studentModel.description}, started at teacher + ${eps} x random` : `${studentModel.description}, independent random start`,
      parameters: studentModel.parameterCount(),
      trainingExamples: unlabelled.count,
      accuracy: last.accuracy,
      bestAccuracy: best.outcome.accuracy,
      bestStep: best.step,
      bestChosenBy: V ? `probe accuracy on the labelled validation split (${V.count} examples)` : 'no validation split: the final checkpoint',
      oracleBestAccuracy: oracleBest,
      totalSteps: outcome.totalSteps,
      stepsRun: outcome.stepsRun,
      stoppedEarly: outcome.stoppedEarly,
      ece: last.ece,
      reliability: last.reliability,
      seconds: (performance.now() - studentStarted) / 1000,
      history,
      testPredictions: last.testPredictions,
      bestTestPredictions: best.outcome.testPredictions,
    };
    ctx.onEvent?.({ type: 'stage-end', stage: studentInfo.name, result: studentResult });

    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { teacher: teacherResult, student: studentResult },
      lowerBestAccuracy: teacherResult.accuracy,
      definition: 'no gap ratio: compare the probe accuracies of the student and the teacher',
      // The "transfer" comparison: both probes' predictions on the probe's own labelled examples.
      transfer: { label: data.parts.probe.y, supervisor: teacherProbe.probeSetPredictions, student: last.probeSetPredictions },
      started,
      charts: recorder.charts,
    });
  } finally {
    scope.dispose();
  }
}
