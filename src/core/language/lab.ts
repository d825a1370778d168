/**
 * What every language experiment shares: the corpus and the shipped teacher, the held-out characters every model
 * is scored on, models that are only measured (the teacher, an oracle) or trained with held-out bits per character
 * at each measurement, the writing each model does from the visitor's prompt at each measurement, and the result.
 */
import type { LossSpec, TrainSpec } from '../config/blocks';
import type { ExperimentConfig } from '../config/schema';
import type { ExperimentData } from '../data/splits';
import { checkpoint } from '../cancellation';
import { EVALUATION_CHUNK } from '../config/limits';
import { meanCrossEntropyBits, predict, predictValues, rowsPerPiece } from '../evaluate';
import type { RunContext } from '../experiments/context';
import type { ChartData } from '../experiments/charts';
import type { ExperimentResult } from '../experiments/contract';
import type { LanguageReport, StageInfo, StageResult, TextSample } from '../experiments/figures';
import { ExperimentScope, experimentStart } from '../experiments/open';
import { assembleResult } from '../experiments/result';
import { runStage, type StageRun } from '../experiments/stage';
import { argmaxRows, expectedCalibrationError } from '../metrics';
import type { Model } from '../models/model';
import { createRng } from '../rng';
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import type { TrainingSet } from '../train';
import type { CharModelSpec } from './blocks';
import { buildCharModel } from './char-model';
import { decodeCodes, encodeText, loadCorpus, type Corpus } from './corpus';
import { continuePrompt, PAD_CHARACTER } from './generate';
import { preparePrompt } from './prompt';
import { loadCharTeacher, TEACHER_ID, type CharTeacherManifest } from './teacher';
import { examplesAt, samplePositions, type TextExamples } from './text-data';

/** The config of any language experiment (every one has a corpus and a prompt). */
export type LanguageConfig = Extract<ExperimentConfig, { sampling: { prompt: string } }>;

/** Examples as tensors in the experiment's scope. */
export interface TextTensors {
  x: Tensor2D;
  y: Tensor1D;
  count: number;
}

export class LanguageLab {
  readonly vocab: number;
  readonly context: number;
  readonly samples: TextSample[] = [];
  readonly test: TextTensors;
  readonly teacherModel: Model;
  private readonly promptCodes: Uint8Array;
  private readonly prompt: ReturnType<typeof preparePrompt>;

  constructor(
    readonly config: LanguageConfig,
    readonly ctx: RunContext,
    readonly corpus: Corpus,
    readonly teacher: CharTeacherManifest,
    teacherWeights: Parameters<typeof buildCharModel>[3],
    readonly data: ExperimentData,
    readonly scope: ExperimentScope,
  ) {
    this.vocab = corpus.manifest.alphabet.length;
    this.context = teacher.context;
    this.test = this.tensors(data.test);
    this.teacherModel = scope.model(buildCharModel(teacher.model, this.shape, ctx.rng.fork('teacher'), teacherWeights));
    this.prompt = preparePrompt(config.sampling.prompt, corpus.manifest.alphabet, this.context);
    this.promptCodes = encodeText(this.prompt.text, corpus.manifest.alphabet);
  }

  get shape(): { vocab: number; context: number } {
    return { vocab: this.vocab, context: this.context };
  }

  /** A new character model; the same `label` gives the same initial weights. */
  model(spec: CharModelSpec, label: string): Model {
    return this.scope.model(buildCharModel(spec, this.shape, this.ctx.rng.fork(label)));
  }

  examples(positions: ArrayLike<number>): TextExamples {
    return examplesAt(this.corpus.codes, positions, this.context);
  }

  tensors(examples: TextExamples): TextTensors {
    const { x, y } = this.scope.split(examples, this.context);
    return { x, y, count: examples.count };
  }

  /** A training set: inputs, one-hot targets, and (for distillation) a teacher's logits on the same inputs. */
  async trainingSet(set: TextTensors, teacher?: Model): Promise<TrainingSet> {
    const targets = this.scope.own(tf.tidy(() => tf.oneHot(set.y, this.vocab).asType('float32') as Tensor2D));
    if (!teacher) return { inputs: set.x, targets };
    const teacherLogits = this.scope.own(await predict(teacher, set.x, this.ctx.signal));
    const labelled = this.scope.own(tf.ones([set.count]) as Tensor1D);
    return { inputs: set.x, targets, teacherLogits, labelled };
  }

  /** What `model` writes after the prompt, from the same seed for every model and measurement; announced and kept. */
  async write(model: Model, stage: string, step: number): Promise<void> {
    const { length, temperature } = this.config.sampling;
    const pad = this.corpus.manifest.alphabet.indexOf(PAD_CHARACTER);
    const rng = createRng(this.ctx.seed).fork('writing');
    const written = await continuePrompt(model, this.promptCodes, {
      length,
      temperature,
      vocab: this.vocab,
      context: this.context,
      pad,
      rng,
      signal: this.ctx.signal,
    });
    const sample: TextSample = { stage, step, prompt: this.prompt.text, text: decodeCodes(written.codes, this.corpus.manifest.alphabet), bits: written.bits };
    this.samples.push(sample);
    this.ctx.onEvent?.({ type: 'text-sample', sample });
  }

  /**
   * A model that is measured, not trained (the shipped teacher, an oracle): its stage's events with one measurement
   * at step 0, and its writing.
   */
  async measureOnly(info: StageInfo, model: Model): Promise<StageResult> {
    const started = performance.now();
    const { ctx, test } = this;
    ctx.onEvent?.({
      type: 'stage-start',
      stage: info.name,
      label: info.label,
      model: model.description,
      parameters: model.parameterCount(),
      totalSteps: 0,
      trainingExamples: 0,
    });
    const probabilities = await predictValues(model, test.x, ctx.signal, (logits) => tf.softmax(logits) as Tensor2D);
    const bits = await meanCrossEntropyBits(model, test.x, test.y, ctx.signal);
    const bitsPerCharacter = (await bits.data().finally(() => bits.dispose()))[0];
    const labels = this.data.test.y;
    const predictions = argmaxRows(probabilities, this.vocab);
    const accuracy = predictions.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / labels.length;
    const point = { step: 0, epoch: 0, loss: NaN, testAccuracy: accuracy, validationAccuracy: null, learningRate: 0, bitsPerCharacter };
    ctx.onEvent?.({ type: 'step', stage: info.name, ...point, totalSteps: 0, testPredictions: predictions });
    await this.write(model, info.name, 0);
    const result: StageResult = {
      ...info,
      model: model.description,
      parameters: model.parameterCount(),
      trainingExamples: 0,
      accuracy,
      bestAccuracy: accuracy,
      bestStep: 0,
      bestChosenBy: 'not trained here: measured as it is',
      oracleBestAccuracy: accuracy,
      totalSteps: 0,
      stepsRun: 0,
      stoppedEarly: false,
      ece: expectedCalibrationError(probabilities, this.vocab, labels),
      seconds: (performance.now() - started) / 1000,
      history: [point],
      testPredictions: predictions,
      bestTestPredictions: predictions,
      bitsPerCharacter,
    };
    ctx.onEvent?.({ type: 'stage-end', stage: info.name, result });
    return result;
  }

  /** Trains a model, measuring held-out bits per character and writing from the prompt at every measurement. */
  async train(options: {
    info: StageInfo;
    model: Model;
    train: TrainSpec;
    loss: LossSpec;
    data: TrainingSet;
    /** Stages with the same key see their batches in the same order. */
    shuffleKey: string;
    afterMeasure?: (step: number) => Promise<void>;
  }): Promise<StageRun> {
    const run = await runStage({
      info: options.info,
      model: options.model,
      train: options.train,
      loss: options.loss,
      data: options.data,
      test: { inputs: this.test.x, labels: this.test.y },
      validationLabelledBy: 'ground truth',
      shuffleKey: options.shuffleKey,
      testLabels: this.data.test.y,
      ctx: this.ctx,
      measureBits: true,
      afterMeasure: async (step) => {
        await this.write(options.model, options.info.name, step);
        await options.afterMeasure?.(step);
      },
    });
    this.scope.own(run.testLogits);
    return run;
  }

  /** -log2 p(character | context) under `model` for every example of a set, read back. */
  async surprisal(model: Model, set: TextTensors): Promise<Float32Array> {
    const out = new Float32Array(set.count);
    const rows = rowsPerPiece(model.multiplyAdds.forward, EVALUATION_CHUNK);
    for (let start = 0; start < set.count; start += rows) {
      await checkpoint(this.ctx.signal);
      const size = Math.min(rows, set.count - start);
      const piece = tf.tidy(() => {
        const logProbabilities = tf.logSoftmax(model.forward(tf.slice(set.x, [start, 0], [size, -1]), false));
        const truth = tf.oneHot(tf.slice(set.y, [start], [size]), this.vocab);
        return tf.div(tf.neg(tf.sum(tf.mul(logProbabilities, truth), -1)), Math.LN2);
      });
      out.set((await piece.data().finally(() => piece.dispose())) as Float32Array, start);
    }
    return out;
  }

  /** Next-character predictions of a supervisor and a student on (at most 2,000 of) the examples a student learned from. */
  async transfer(set: TextTensors, supervisor: Model, student: Model): Promise<{ label: Int32Array; supervisor: Int32Array; student: Int32Array }> {
    const rows = Math.min(2000, set.count);
    const x = tf.slice(set.x, [0, 0], [rows, -1]) as Tensor2D;
    const classes = async (model: Model) => argmaxRows(await predictValues(model, x, this.ctx.signal), this.vocab);
    try {
      return { label: (await set.y.data()).slice(0, rows) as Int32Array, supervisor: await classes(supervisor), student: await classes(student) };
    } finally {
      x.dispose();
    }
  }

  report(): LanguageReport {
    return { prompt: { asked: this.config.sampling.prompt, used: this.prompt.text, notes: this.prompt.notes }, samples: this.samples };
  }

  /** The result every kind reports, with held-out bits per character in each stage and the writing. */
  result(parts: {
    stages: Record<string, StageResult>;
    lower: string;
    transfer: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
    charts: ChartData[];
    started: number;
    definition: string;
  }): ExperimentResult {
    const result = assembleResult({
      config: this.config,
      backend: this.ctx.backend,
      data: this.data,
      stages: parts.stages,
      lowerBestAccuracy: parts.stages[parts.lower].bestAccuracy,
      definition: parts.definition,
      transfer: parts.transfer,
      started: parts.started,
      charts: parts.charts,
    });
    return { ...result, language: this.report() };
  }
}

/**
 * Loads the corpus and the teacher, draws the held-out characters, and announces the experiment. What it allocates
 * lives in the lab's scope, which the caller releases.
 */
export async function openLanguageLab(config: LanguageConfig, ctx: RunContext, stages: StageInfo[]): Promise<LanguageLab> {
  const corpus = await loadCorpus(config.data.dataset, ctx.assets);
  const teacher = await loadCharTeacher(TEACHER_ID, ctx.assets);
  const { alphabet } = corpus.manifest;
  if (teacher.manifest.corpus !== corpus.manifest.id || teacher.manifest.alphabet.join('') !== alphabet.join('')) {
    throw new Error(`the shipped teacher ${teacher.manifest.id} does not read the alphabet of ${corpus.manifest.id}`);
  }
  const context = teacher.manifest.context;
  const positions = samplePositions(corpus.part('test'), config.data.testSize, context, ctx.rng.fork('held-out'));
  const test = examplesAt(corpus.codes, positions, context);
  const data: ExperimentData = {
    datasetId: config.data.dataset,
    name: corpus.manifest.name,
    kind: 'text',
    featureShape: [context],
    featureSize: context,
    classNames: alphabet,
    test,
    parts: {},
  };
  ctx.onEvent?.(experimentStart(config.kind, data, stages, null));
  const scope = new ExperimentScope(ctx.signal);
  try {
    return new LanguageLab(config, ctx, corpus, teacher.manifest, teacher.weights, data, scope);
  } catch (error) {
    scope.dispose();
    throw error;
  }
}
