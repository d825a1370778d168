/**
 * Feature distillation (shared/METHODS.md section 5): the distillation pipeline's teacher and student alone, then
 * the same student (same initial weights, same batches) distilled with logit KD alone, with logit KD plus a
 * FitNets hint through a learned projection, and with logit KD plus relational (distance) KD.
 */
import type { ModelSpec } from '../../config/blocks';
import { initKernel } from '../../models/init';
import { linearLayer } from '../../models/model';
import { hintLoss, relationalDistanceLoss } from '../../losses';
import { featuresOf, inPieces, rowsPerPiece } from '../../evaluate';
import { linearCka, performanceGapRecovered } from '../../metrics';
import type { Model } from '../../models/model';
import { tf, type Tensor1D, type Tensor2D } from '../../tf';
import { untilCancelled } from '../../cancellation';
import type { FeatureTerm } from '../../train';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import { GAP_CLOSED_DEFINITION, openDistillation, teacherAndBaseline } from '../distillation/run';
import type { ExperimentScope } from '../open';
import { assembleResult } from '../result';
import type { StageRun } from '../stage';
import { FEATURE_KD_STUDENTS, featureKd, type FeatureKdConfig } from './spec';

/** Units of a role's last hidden layer (the kind's check refuses any model but an MLP). */
function hiddenWidth(spec: ModelSpec, role: string): number {
  if (spec.type !== 'mlp') throw new Error(`the ${role} must be an MLP to have hidden features`);
  return spec.width;
}

/** The FitNets hint: a learned projection (He-uniform from the run's RNG, zero bias) of the student's hidden layer onto the teacher's. */
function hintTerm(config: FeatureKdConfig, studentWidth: number, teacherWidth: number, ctx: RunContext, scope: ExperimentScope): FeatureTerm {
  const values = initKernel(studentWidth, teacherWidth, studentWidth * teacherWidth, false, ctx.rng.fork('init:hint'));
  // tf.variable keeps its own copy: tidy releases the tensors it was made from.
  const [kernel, bias] = tf.tidy(() => [tf.variable(tf.tensor2d(values, [studentWidth, teacherWidth])), tf.variable(tf.zeros([teacherWidth]))]);
  scope.own(kernel);
  scope.own(bias);
  return {
    variables: [kernel, bias],
    loss: (hidden, batch) => tf.mul(hintLoss(linearLayer(hidden, kernel as Tensor2D, bias as Tensor1D), batch.teacherFeatures as Tensor2D), config.hintWeight),
  };
}

function relationalTerm(config: FeatureKdConfig): FeatureTerm {
  return { variables: [], loss: (hidden, batch) => tf.mul(relationalDistanceLoss(hidden, batch.teacherFeatures as Tensor2D), config.relationalWeight) };
}

/**
 * Linear CKA between two models' hidden layers on the same rows, with the three Gram products computed on the
 * device (2,000 x 1,024 features are a few billion multiply-adds: too many for JavaScript between two checks of Stop).
 * Each product is computed a block of its rows at a time (every row of a product on its own: the same numbers), so
 * a stop is heard within one block.
 */
async function ckaOnDevice(x: Tensor2D, y: Tensor2D, signal: AbortSignal | undefined): Promise<number> {
  const centred = tf.tidy(() => [x, y].map((h) => tf.sub(h, tf.mean(h, 0)) as Tensor2D));
  // Explicit transposes: wasm runs a product with transposeA off its fast path.
  const transposed = tf.tidy(() => centred.map((h) => tf.transpose(h)));
  const [cx, cy] = centred;
  const [tx, ty] = transposed;
  /** left x right, in blocks of rows of about PIECE_MULTIPLY_ADDS, read back. */
  const product = async (left: Tensor2D, right: Tensor2D) => {
    const rows = rowsPerPiece(left.shape[1] * right.shape[1], Infinity);
    const gram = await inPieces(left, rows, (piece) => tf.matMul(piece, right), signal);
    return untilCancelled(gram.data(), signal).finally(() => gram.dispose());
  };
  try {
    return linearCka({ xx: await product(tx, cx), yy: await product(ty, cy), yx: await product(ty, cx) });
  } finally {
    [...centred, ...transposed].forEach((t) => t.dispose());
  }
}

export async function runFeatureKd(ctx: RunContext<FeatureKdConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = featureKd.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const opened = await openDistillation(config, ctx, stages);
  const { data, scope } = opened;
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'feature-kd',
    title: 'Accuracy and gap closed: logits alone or with features',
    kind: 'bar',
    xLabel: 'model',
    yLabel: 'share',
    percent: true,
    series: [
      { key: 'accuracy', label: 'test accuracy' },
      { key: 'gap', label: 'gap closed' },
    ],
    note: 'Every distilled student has the logit term; the hint and relational students add a term on the hidden layer. Gap closed: (student - student alone) / (teacher - student alone).',
  });
  charts.declare({
    id: 'feature-similarity',
    title: "How like the teacher's is each student's hidden layer (linear CKA on test)",
    kind: 'bar',
    xLabel: 'model',
    yLabel: 'linear CKA',
    yDomain: [0, 1],
    series: [{ key: 'cka', label: "linear CKA to the teacher's hidden layer" }],
    note: "1: the same features up to rotation and scale; 0: unrelated. Did the feature terms make the student's features more like the teacher's, and did that help its accuracy?",
  });

  try {
    const studentWidth = hiddenWidth(config.student.model, 'student');
    const teacherWidth = hiddenWidth(config.teacher.model, 'teacher');
    const bench = await teacherAndBaseline(config, ctx, opened, { teacher: info('teacher'), baseline: info('baseline') });
    const teacherAcc = bench.teacher.result.accuracy;
    const baselineAcc = bench.baseline.result.accuracy;
    let group = 0;
    const addBars = (label: string, accuracy: number, gap: number | null) => {
      charts.add('feature-kd', 'accuracy', { x: group, y: accuracy, label });
      if (gap !== null) charts.add('feature-kd', 'gap', { x: group, y: gap, label });
      group++;
    };
    addBars(info('teacher').label, teacherAcc, null);
    addBars(info('baseline').label, baselineAcc, null);
    // Every model's last hidden layer on the test images (MLPs: their inputs are the raw test images).
    const hiddenOnTest = (model: Model) => featuresOf(model, opened.test.x, ctx.signal);
    const teacherHidden = scope.own(await hiddenOnTest(bench.teacher.model));
    let similarityGroup = 0;
    const addSimilarity = async (name: string, run: StageRun) => {
      const hidden = await hiddenOnTest(run.model);
      try {
        charts.add('feature-similarity', 'cka', { x: similarityGroup++, y: await ckaOnDevice(hidden, teacherHidden, ctx.signal), label: info(name).label });
      } finally {
        hidden.dispose();
      }
    };

    const logitLoss = { type: 'kd', temperature: config.temperature, alpha: config.alpha } as const;
    const terms: Record<(typeof FEATURE_KD_STUDENTS)[number], () => FeatureTerm | undefined> = {
      kd: () => undefined,
      hint: () => hintTerm(config, studentWidth, teacherWidth, ctx, scope),
      relational: () => relationalTerm(config),
    };
    await addSimilarity('baseline', bench.baseline);
    const runs: Record<string, StageRun> = {};
    for (const name of FEATURE_KD_STUDENTS) {
      runs[name] = await bench.distil(info(name), logitLoss, { featureTerm: terms[name]() });
      const accuracy = runs[name].result.accuracy;
      addBars(info(name).label, accuracy, performanceGapRecovered(baselineAcc, teacherAcc, accuracy).value);
      await addSimilarity(name, runs[name]);
    }

    const studentOnTrain = await bench.predictTrain(runs.kd);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: {
        teacher: bench.teacher.result,
        baseline: bench.baseline.result,
        ...Object.fromEntries(FEATURE_KD_STUDENTS.map((name) => [name, runs[name].result])),
      },
      lowerBestAccuracy: bench.baseline.result.bestAccuracy,
      definition: `${GAP_CLOSED_DEFINITION} (logit KD; each student's own figure is in the chart and the student menu)`,
      transfer: { label: data.parts.train.y, supervisor: bench.teacherOnTrain, student: studentOnTrain },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
