/**
 * Teacher hacking with language models (Tiapkin et al. 2025). The shipped model is the oracle. A proxy teacher
 * learns the oracle's next-character probabilities on a little text; a student learns the proxy's probabilities
 * either on one FIXED set of contexts for many epochs or on FRESH contexts, a new set every epoch (the same number
 * of steps; the fixed set is the fresh run's first epoch). Contexts come from the students' novel, disjoint from the
 * proxy's text. At every measurement, on the held-out characters: the proxy distance mean KL(proxy || student) and
 * the golden distance mean KL(oracle || student), in bits per character; and for the fixed-set student the proxy
 * distance on its own contexts, the figure its training lowers.
 */
import { predict } from '../../evaluate';
import { openLanguageLab } from '../../language/lab';
import { drawPositions } from '../../language/text-data';
import { klPerExample } from '../../losses';
import type { Model } from '../../models/model';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import { lmTeacherHacking, type LmTeacherHackingConfig } from './spec';

export async function runLmTeacherHacking(ctx: RunContext<LmTeacherHackingConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = lmTeacherHacking.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const lab = await openLanguageLab(config, ctx, stages);
  const { scope } = lab;
  const { signal } = ctx;
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'distances',
    title: 'Proxy and golden distances on held-out text',
    kind: 'line',
    xLabel: 'student step',
    yLabel: 'mean KL divergence (bits per character)',
    series: [
      { key: 'fixed-proxy-own', label: 'fixed set: to the proxy teacher, on its own contexts', color: '#f59e0b', dashed: true },
      { key: 'fixed-proxy', label: 'fixed set: to the proxy teacher', color: '#d62728', dashed: true },
      { key: 'fixed-golden', label: 'fixed set: to the oracle (golden)', color: '#d62728' },
      { key: 'fresh-proxy', label: 'fresh contexts: to the proxy teacher', color: '#1f77b4', dashed: true },
      { key: 'fresh-golden', label: 'fresh contexts: to the oracle (golden)', color: '#1f77b4' },
    ],
    note: 'Mean KL(proxy || student) and KL(oracle || student) over the held-out characters (orange: the proxy distance on the fixed set itself). On its own contexts the fixed-set student keeps nearing the proxy while on new text it drifts from the oracle; fresh contexts keep both falling.',
  });
  const logProbabilities = async (model: Model, inputs: Tensor2D = lab.test.x) =>
    scope.own(await predict(model, inputs, signal, (logits) => tf.logSoftmax(logits) as Tensor2D));
  try {
    const { teacherText, transferSize } = config.data;
    const epochs = config.student.train.epochs;
    const oracle = await lab.measureOnly(info('oracle'), lab.teacherModel);
    const oracleOnTest = await logProbabilities(lab.teacherModel);

    // One draw of positions: the proxy's text first, then the students' contexts (the fixed set is their first epoch).
    const positions = drawPositions(lab.corpus.part('student'), teacherText + transferSize * epochs, lab.context, ctx.rng.fork('positions'));
    const proxyText = lab.tensors(lab.examples(positions.subarray(0, teacherText)));
    const contexts = lab.tensors(lab.examples(positions.subarray(teacherText)));
    const softTargets = async (model: Model, x: Tensor2D) => scope.own(await predict(model, x, signal, (logits) => tf.softmax(logits) as Tensor2D));

    const proxyModel = lab.model(config.teacher.model, 'init:teacher');
    const proxy = await lab.train({
      info: info('teacher'),
      model: proxyModel,
      train: config.teacher.train,
      loss: { type: 'xent' },
      data: { inputs: proxyText.x, targets: await softTargets(lab.teacherModel, proxyText.x) },
      shuffleKey: 'teacher',
    });
    const proxyOnTest = await logProbabilities(proxyModel);
    const proxyTargets = await softTargets(proxyModel, contexts.x);

    // The fixed set's own contexts, with the proxy's log-probabilities on them.
    const fixedInputs = scope.own(tf.slice(contexts.x, [0, 0], [transferSize, -1]) as Tensor2D);
    const proxyOnFixed = await logProbabilities(proxyModel, fixedInputs);
    /** Mean KL(p || student) in bits per character over `inputs`, for each reference's log-probabilities. */
    const distances = async (model: Model, inputs: Tensor2D, references: Tensor2D[]): Promise<number[]> => {
      const student = await predict(model, inputs, signal, (logits) => tf.logSoftmax(logits) as Tensor2D);
      const values = tf.tidy(() => tf.div(tf.stack(references.map((reference) => tf.mean(klPerExample(reference, student)))), Math.LN2));
      student.dispose();
      return Array.from(await values.data().finally(() => values.dispose()));
    };

    const distil = async (regime: 'fixed' | 'fresh') => {
      const model = lab.model(config.student.model, 'init:student');
      const rows = regime === 'fixed' ? transferSize : contexts.count;
      const take = (t: Tensor2D) => (rows === contexts.count ? t : scope.own(tf.slice(t, [0, 0], [rows, -1]) as Tensor2D));
      return lab.train({
        info: info(regime),
        model,
        train: regime === 'fixed' ? config.student.train : { ...config.student.train, epochs: 1 },
        loss: { type: 'xent' },
        data: { inputs: take(contexts.x), targets: take(proxyTargets) },
        shuffleKey: regime,
        afterMeasure: async (step) => {
          const [toProxy, toOracle] = await distances(model, lab.test.x, [proxyOnTest, oracleOnTest]);
          charts.add('distances', `${regime}-proxy`, { x: step, y: toProxy });
          charts.add('distances', `${regime}-golden`, { x: step, y: toOracle });
          if (regime === 'fixed') {
            const [toProxyOwn] = await distances(model, fixedInputs, [proxyOnFixed]);
            charts.add('distances', 'fixed-proxy-own', { x: step, y: toProxyOwn });
          }
        },
      });
    };
    const fixedRun = await distil('fixed');
    const freshRun = await distil('fresh');
    const fixedSet = lab.tensors(lab.examples(positions.subarray(teacherText, teacherText + transferSize)));
    return lab.result({
      stages: { oracle, teacher: proxy.result, fixed: fixedRun.result, fresh: freshRun.result },
      lower: 'teacher',
      transfer: await lab.transfer(fixedSet, proxyModel, fixedRun.model),
      charts: charts.charts,
      started,
      definition: 'no gap ratio: compare the proxy and golden distances of the two students',
    });
  } finally {
    scope.dispose();
  }
}
