/**
 * Teacher hacking (Tiapkin et al. 2025; shared/METHODS.md section 3). A ground-truth oracle (a randomly
 * initialised network) gives a class distribution softmax(z / temperature) for every input; a teacher is fit to
 * a few points whose labels are sampled from it; a student is distilled from the teacher (cross-entropy to the
 * teacher's probabilities) either on one FIXED small transfer set for many epochs or on FRESH points, a new set
 * every epoch (one pass over epochs x transferSize points: the same number of steps, every point new). The fixed
 * set is the first transferSize of those points, so both students start from the same data.
 * At every measurement, on the held-out test points: the proxy distance mean KL(teacher || student) and the
 * golden distance mean KL(oracle || student). Accuracy is against the oracle's most likely class.
 */
import { teacherHacking, type TeacherHackingConfig } from './spec';
import type { ExperimentData } from '../../data/splits';
import type { LabelledSet } from '../../data/types';
import { klPerExample } from '../../losses';
import { argmaxRows } from '../../metrics';
import { buildModel, type Model } from '../../models/model';
import type { Rng } from '../../rng';
import { tf, type Tensor2D } from '../../tf';
import { predict, predictClasses, predictValues } from '../../evaluate';
import { ChartRecorder } from '../charts';
import { assembleResult } from '../result';
import { createModel, oneHot, openExperiment, type ExperimentScope } from '../open';
import { runStage, type StageRun } from '../stage';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import type { RunContext } from '../context';

/** The oracle network: a random tanh MLP whose softmax(logits / temperature) is the true class distribution. */
export function buildOracle(config: TeacherHackingConfig, featureShape: number[], rng: Rng): Model {
  const { width, depth, numClasses } = config.oracle;
  return buildModel({ type: 'mlp', width, depth, activation: 'tanh', dropout: 0 }, { featureShape, numClasses, rng });
}

/** Log-probabilities of the oracle's class distribution. */
function oracleLogProbabilities(oracle: Model, x: Tensor2D, temperature: number, signal: AbortSignal | undefined): Promise<Tensor2D> {
  return predict(oracle, x, signal, (logits) => tf.logSoftmax(tf.div(logits, temperature)) as Tensor2D);
}

/** One class per row drawn from each row's distribution (probabilities, row-major). */
export function sampleClasses(probabilities: Float32Array, numClasses: number, rng: Rng): Int32Array {
  const rows = probabilities.length / numClasses;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = rng.next();
    let cumulative = 0;
    let chosen = numClasses - 1;
    for (let c = 0; c < numClasses; c++) {
      cumulative += probabilities[i * numClasses + c];
      if (u < cumulative) {
        chosen = c;
        break;
      }
    }
    out[i] = chosen;
  }
  return out;
}

interface Oracle {
  /** Oracle log-probabilities on the test points (for the golden distance). */
  testLog: Tensor2D;
  /** Labels sampled from the oracle for the teacher's training points. */
  teacherLabels: Int32Array;
}

/**
 * Replaces every label of the data with the oracle's most likely class (the ground truth the accuracy cards and
 * the beat/copy matrix use), and samples the teacher's training labels from the oracle's distribution.
 */
async function relabel(
  config: TeacherHackingConfig,
  ctx: RunContext,
  data: ExperimentData,
  scope: ExperimentScope,
  oracleOut: Partial<Oracle>,
): Promise<ExperimentData> {
  const { numClasses, temperature } = config.oracle;
  const oracle = scope.model(buildOracle(config, data.featureShape, ctx.rng.fork('oracle')));
  const probabilitiesOf = async (set: LabelledSet, keepLog: boolean): Promise<Float32Array> => {
    const x = tf.tensor2d(set.x, [set.count, data.featureSize]);
    const log = await oracleLogProbabilities(oracle, x, temperature, ctx.signal).finally(() => x.dispose());
    const probabilities = tf.exp(log);
    const values = (await probabilities.data()) as Float32Array;
    probabilities.dispose();
    if (keepLog) oracleOut.testLog = scope.own(log);
    else log.dispose();
    return values;
  };
  const withTruth = (set: LabelledSet, probabilities: Float32Array): LabelledSet => ({ ...set, y: argmaxRows(probabilities, numClasses) });

  const test = withTruth(data.test, await probabilitiesOf(data.test, true));
  const parts: Record<string, LabelledSet> = {};
  for (const [name, set] of Object.entries(data.parts)) {
    if (set.count === 0) {
      parts[name] = set;
      continue;
    }
    const probabilities = await probabilitiesOf(set, false);
    parts[name] = withTruth(set, probabilities);
    if (name === 'teacher') oracleOut.teacherLabels = sampleClasses(probabilities, numClasses, ctx.rng.fork('oracle:samples'));
  }
  return { ...data, classNames: Array.from({ length: numClasses }, (_, i) => `class ${i}`), test, parts };
}

export async function runTeacherHacking(ctx: RunContext<TeacherHackingConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = teacherHacking.stages(config);
  const { teacherSize, transferSize, validationSize } = config.data;
  const epochs = config.student.train.epochs;
  const oracle: Partial<Oracle> = {};
  const { data, numClasses, scope, test, grid } = await openExperiment(
    config,
    ctx,
    [
      { name: 'teacher', size: teacherSize },
      { name: 'transfer', size: transferSize * epochs },
      { name: 'V', size: validationSize },
    ],
    stages,
    (raw, rawScope) => relabel(config, ctx, raw, rawScope, oracle),
  );
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'distances',
    title: 'Proxy and golden distances on held-out points',
    kind: 'line',
    xLabel: 'student step',
    yLabel: 'mean KL divergence (nats)',
    series: [
      { key: 'fixed-proxy', label: 'fixed set: to teacher (proxy)', color: '#d62728', dashed: true },
      { key: 'fixed-golden', label: 'fixed set: to oracle (golden)', color: '#d62728' },
      { key: 'fresh-proxy', label: 'fresh points: to teacher (proxy)', color: '#1f77b4', dashed: true },
      { key: 'fresh-golden', label: 'fresh points: to oracle (golden)', color: '#1f77b4' },
    ],
    note: 'Mean KL(teacher || student) and KL(oracle || student). On the fixed set the proxy keeps falling while the golden distance climbs: teacher hacking. Fresh points end nearer both.',
  });

  try {
    const teacherPart = scope.split(data.parts.teacher, data.featureSize);
    const transfer = scope.split(data.parts.transfer, data.featureSize);
    const V = validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;
    const oracleTestLog = oracle.testLog as Tensor2D;

    // 1. The teacher, on labels sampled from the oracle; scored against the oracle's most likely class.
    const teacherModel = scope.model(await createModel(config.teacher.model, data, ctx, 'init:teacher'));
    const teacherIn = (split: string, raw: Tensor2D) => scope.cache.encode(teacherModel, split, raw);
    const sampled = scope.own(tf.tensor1d(oracle.teacherLabels as Int32Array, 'int32'));
    const teacher = await runStage({
      info: stages[0],
      model: teacherModel,
      train: config.teacher.train,
      loss: { type: 'xent' },
      data: { inputs: await teacherIn('teacher', teacherPart.x), targets: scope.own(oneHot(sampled, numClasses)) },
      test: { inputs: await teacherIn('test', test.x), labels: test.y },
      validation: V ? { inputs: await teacherIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: "the oracle's most likely class",
      shuffleKey: 'teacher',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(teacher.testLogits);
    const teacherTestLog = scope.own(tf.logSoftmax(teacher.testLogits) as Tensor2D);
    const teacherProbabilities = scope.own(
      await predict(teacherModel, await teacherIn('transfer', transfer.x), ctx.signal, (logits) => tf.softmax(logits) as Tensor2D),
    );
    const teacherOnV = V ? scope.own(await predictClasses(teacherModel, await teacherIn('V', V.x), ctx.signal)) : null;

    // 2. Students: the same initial weights, distilled on a fixed set for many epochs or on fresh points.
    const distil = async (info: StageInfo, rows: number, regime: 'fixed' | 'fresh'): Promise<StageRun> => {
      const model = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
      const studentIn = (split: string, raw: Tensor2D) => scope.cache.encode(model, split, raw);
      const allInputs = await studentIn('transfer', transfer.x);
      const inputs = rows === transfer.count ? allInputs : scope.own(tf.slice(allInputs, [0, 0], [rows, -1]) as Tensor2D);
      const targets = rows === transfer.count ? teacherProbabilities : scope.own(tf.slice(teacherProbabilities, [0, 0], [rows, -1]) as Tensor2D);
      const testInputs = await studentIn('test', test.x);
      const run = await runStage({
        info,
        model,
        train: regime === 'fixed' ? config.student.train : { ...config.student.train, epochs: 1 },
        loss: { type: 'xent' },
        data: { inputs, targets },
        test: { inputs: testInputs, labels: test.y },
        validation: V && teacherOnV ? { inputs: await studentIn('V', V.x), labels: teacherOnV } : undefined,
        validationLabelledBy: "the teacher's labels",
        shuffleKey: regime,
        testLabels: data.test.y,
        ctx,
        grid,
        afterMeasure: async (step) => {
          const student = await predict(model, testInputs, ctx.signal, (logits) => tf.logSoftmax(logits) as Tensor2D);
          const distances = tf.tidy(() => tf.stack([tf.mean(klPerExample(teacherTestLog, student)), tf.mean(klPerExample(oracleTestLog, student))]));
          student.dispose();
          const [proxy, golden] = await distances.data();
          distances.dispose();
          charts.add('distances', `${regime}-proxy`, { x: step, y: proxy });
          charts.add('distances', `${regime}-golden`, { x: step, y: golden });
        },
      });
      scope.own(run.testLogits);
      return run;
    };
    const fixed = await distil(stages[1], transferSize, 'fixed');
    const fresh = await distil(stages[2], transfer.count, 'fresh');

    // The transfer breakdown: the fixed set, where the fixed student learned from its teacher.
    const onFixedSet = async (model: Model) => {
      const fixedSet = tf.slice(await scope.cache.encode(model, 'transfer', transfer.x), [0, 0], [transferSize, -1]) as Tensor2D;
      return argmaxRows(await predictValues(model, fixedSet, ctx.signal).finally(() => fixedSet.dispose()), numClasses);
    };
    const fixedSet = data.parts.transfer.y.subarray(0, transferSize);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { teacher: teacher.result, fixed: fixed.result, fresh: fresh.result },
      lowerBestAccuracy: teacher.result.bestAccuracy,
      definition: 'no gap ratio: compare the proxy and golden distances of the two students',
      transfer: { label: fixedSet, supervisor: await onFixedSet(teacherModel), student: await onFixedSet(fixed.model) },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
