/**
 * MiniPLM's difference sampling (Gu et al. 2025), at character scale. The students' novel is cut into windows; a
 * small reference model learns some of them; every candidate window is scored by the sum over its characters of
 * log p_teacher - log p_reference, and the best-scored share is kept. One student (same initial weights, same batch
 * order) learns the kept windows with plain cross-entropy; the baseline learns as many windows chosen at random.
 */
import { openLanguageLab } from '../../language/lab';
import { shuffledWindows, windowPositions } from '../../language/text-data';
import { permutation } from '../../rng';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo, StageResult } from '../figures';
import { lmDataSelection, windowCounts, type LmDataSelectionConfig } from './spec';

/** Indices of the `count` highest scores, best first (ties: the earlier window). */
export function topWindows(scores: Float64Array, count: number): Int32Array {
  const order = Int32Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, count);
}

export async function runLmDataSelection(ctx: RunContext<LmDataSelectionConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = lmDataSelection.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const lab = await openLanguageLab(config, ctx, stages);
  const { window } = config.data;
  const counts = windowCounts(config);
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'window-scores',
    title: 'Difference score of every candidate window, best first',
    kind: 'line',
    xLabel: 'window rank',
    yLabel: 'log p_teacher - log p_reference (bits per character)',
    series: [
      { key: 'score', label: 'candidate windows' },
      { key: 'cut', label: 'the last window kept', dashed: true, color: '#dc2626' },
    ],
    note: "Windows to the left of the cut are the selected student's text. High: text the teacher predicts well and the reference does not.",
  });
  charts.declare({
    id: 'bits-per-model',
    title: 'Held-out bits per character of each model (lower is better)',
    kind: 'bar',
    xLabel: 'model',
    yLabel: 'bits per character',
    series: [{ key: 'bits', label: 'bits per character on the held-out novel' }],
  });
  const addBar = (stage: StageResult, x: number) => charts.add('bits-per-model', 'bits', { x, y: stage.bitsPerCharacter ?? NaN, label: stage.label });
  try {
    const results: Record<string, StageResult> = {};
    results.teacher = await lab.measureOnly(info('teacher'), lab.teacherModel);
    addBar(results.teacher, 0);

    const windows = shuffledWindows(lab.corpus.part('student'), window, lab.context, ctx.rng.fork('windows'));
    const referenceText = lab.tensors(lab.examples(windowPositions(windows.subarray(0, counts.reference), window)));
    const candidateStarts = windows.subarray(counts.reference, counts.reference + counts.candidates);
    const candidates = lab.tensors(lab.examples(windowPositions(candidateStarts, window)));

    const referenceModel = lab.model(config.reference.model, 'init:reference');
    const reference = await lab.train({
      info: info('reference'),
      model: referenceModel,
      train: config.reference.train,
      loss: { type: 'xent' },
      data: await lab.trainingSet(referenceText),
      shuffleKey: 'reference',
    });
    results.reference = reference.result;
    addBar(results.reference, 1);

    // Surprisal in bits: log p_teacher - log p_reference = surprisal_reference - surprisal_teacher, per character.
    const teacherBits = await lab.surprisal(lab.teacherModel, candidates);
    const referenceBits = await lab.surprisal(referenceModel, candidates);
    const scores = new Float64Array(counts.candidates);
    for (let i = 0; i < teacherBits.length; i++) scores[Math.floor(i / window)] += (referenceBits[i] - teacherBits[i]) / window;
    const selected = topWindows(scores, counts.kept);
    const random = permutation(counts.candidates, ctx.rng.fork('random-windows')).slice(0, counts.kept);
    // At most 200 points of the sorted scores, and the cut.
    const stride = Math.max(1, Math.ceil(counts.candidates / 200));
    const sorted = topWindows(scores, counts.candidates);
    for (let r = 0; r < sorted.length; r += stride) charts.add('window-scores', 'score', { x: r + 1, y: scores[sorted[r]] });
    const cut = scores[selected[selected.length - 1]];
    charts.add('window-scores', 'cut', { x: counts.kept, y: Math.min(...scores) });
    charts.add('window-scores', 'cut', { x: counts.kept, y: Math.max(cut, ...scores) });

    const studentText = (chosen: Int32Array) =>
      lab.tensors(
        lab.examples(
          windowPositions(
            Array.from(chosen, (k) => candidateStarts[k]),
            window,
          ),
        ),
      );
    const texts = { random: studentText(random), selected: studentText(selected) };
    const runs = {} as Record<'random' | 'selected', Awaited<ReturnType<typeof lab.train>>>;
    for (const [i, name] of (['random', 'selected'] as const).entries()) {
      runs[name] = await lab.train({
        info: info(name),
        // Same label, same initial weights; same shuffle key and size, same batch order.
        model: lab.model(config.student.model, 'init:student'),
        train: config.student.train,
        loss: { type: 'xent' },
        data: await lab.trainingSet(texts[name]),
        shuffleKey: 'student',
      });
      results[name] = runs[name].result;
      addBar(results[name], i + 2);
    }
    return lab.result({
      stages: results,
      lower: 'random',
      transfer: await lab.transfer(texts.selected, lab.teacherModel, runs.selected.model),
      charts: charts.charts,
      started,
      definition: 'no gap ratio: compare the held-out bits per character of the students on selected and on random text',
    });
  } finally {
    lab.scope.dispose();
  }
}
