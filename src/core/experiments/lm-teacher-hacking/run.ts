/**
 * Teacher hacking with language models (Tiapkin et al. 2025). The shipped model is the oracle. A proxy teacher
 * learns the oracle's next-character probabilities on a little text; a student learns the proxy's probabilities
 * either on one FIXED set of contexts for many epochs or on FRESH contexts, a new set every epoch (the same number
 * of steps; the fixed set is the fresh run's first epoch). Contexts come from the students' novel, disjoint from the
 * proxy's text. At every measurement, on the held-out characters: the proxy distance mean KL(proxy || student) and
 * the golden distance mean KL(oracle || student), in bits per character.
 */
import { predict } from '../../evaluate';
import { openLanguageLab } from '../../language/lab';
import { drawPositions } from '../../language/text-data';
import { klPerExample } from '../../losses';
import type { Model } from '../../models/model';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult, StageInfo } from '../contract';
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
      { key: 'fixed-proxy', label: 'fixed set: to the proxy teacher', color: '#d62728', dashed: true },
      { key: 'fixed-golden', label: 'fixed set: to the oracle (golden)', color: '#d62728' },
      { key: 'fresh-proxy', label: 'fresh contexts: to the proxy teacher', color: '#1f77b4', dashed: true },
      { key: 'fresh-golden', label: 'fresh contexts: to the oracle (golden)', color: '#1f77b4' },
    ],
    note: 'Mean KL(proxy || student) and KL(oracle || student) over the held-out characters. On the fixed set the proxy distance keeps falling while the golden one stalls or climbs.',
  });
  const logProbabilities = async (model: Model) => scope.own(await predict(model, lab.test.x, signal, (logits) => tf.logSoftmax(logits) as Tensor2D));
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
          const student = await predict(model, lab.test.x, signal, (logits) => tf.logSoftmax(logits) as Tensor2D);
          const distances = tf.tidy(() =>
            tf.div(tf.stack([tf.mean(klPerExample(proxyOnTest, student)), tf.mean(klPerExample(oracleOnTest, student))]), Math.LN2),
          );
          student.dispose();
          const [toProxy, toOracle] = await distances.data().finally(() => distances.dispose());
          charts.add('distances', `${regime}-proxy`, { x: step, y: toProxy });
          charts.add('distances', `${regime}-golden`, { x: step, y: toOracle });
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
