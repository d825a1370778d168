/**
 * A run kept in IndexedDB, read back as untrusted data: another version of the page, a browser extension or a
 * visitor with the developer tools may have written anything there (null, half a run, a config of an unknown kind,
 * numbers out of range, arrays where typed arrays belong, objects that refer to themselves).
 *
 * The config goes through readConfig, as a link does (migrated, invalid values repaired and named). The rest is
 * checked by hand, in plain loops (a long run has 40,000 points per curve): what the Runs panel shows (title,
 * stages, their curves and accuracies, PGR) must be sound or the entry is skipped with a reason; the full result
 * (per-example predictions as typed arrays) must have its documented shape or it is reported unreadable with a
 * notice. What comes back is the summary (KeptRun), its curves as columns of numbers.
 */
import { ConfigError } from '../../core/config/read';
import { KIND_SPECS } from '../../core/experiments/kinds';
import { readConfig } from '../../core/config/read';
import { MAX_PROMPT_LENGTH } from '../../core/language/blocks';
import { runName } from './compare';
import { seedBand, type KeptRun, type KeptStage } from './saved-run';

export type ReadOutcome = { ok: true; run: KeptRun; notices: string[] } | { ok: false; notice: string };

/** A part of an entry that is not what this version writes; `message` names the field. */
class Damage extends Error {}

type Fields = Record<string, unknown>;

const MAX_TEXT = 200;
const MAX_STAGES = 50;

function fail(path: string, what: string): never {
  throw new Damage(`${path} ${what}`);
}

function object(value: unknown, path: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value))
    fail(path, value === undefined ? 'is missing' : 'is not an object');
  return value as Fields;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, value === undefined ? 'is missing' : 'is not a list');
  return value;
}

function text(value: unknown, path: string, max = MAX_TEXT): string {
  if (typeof value !== 'string') fail(path, value === undefined ? 'is missing' : 'is not text');
  if (value.length > max) fail(path, `is longer than ${max} characters`);
  return value;
}

/** A measured number: finite, or NaN where nothing could be measured (never an infinity, never text). */
function measured(value: unknown, path: string, range?: [number, number]): number {
  if (typeof value !== 'number' || value === Infinity || value === -Infinity) fail(path, 'is not a number');
  if (range && !Number.isNaN(value) && (value < range[0] || value > range[1])) fail(path, `is outside ${range[0]} to ${range[1]}`);
  return value;
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'is not a count');
  return value;
}

function ratioOrNull(value: unknown, path: string): number | null {
  return value === null ? null : measured(value, path);
}

function classIndices(value: unknown, path: string, classes: number, length?: number): Int32Array {
  if (!(value instanceof Int32Array)) fail(path, 'is not an Int32Array');
  if (length !== undefined && value.length !== length) fail(path, `has ${value.length} entries, not ${length}`);
  for (let i = 0; i < value.length; i++) if (value[i] < 0 || value[i] >= classes) fail(`${path}[${i}]`, `is not one of the ${classes} classes`);
  return value;
}

const isNumber = (v: unknown) => typeof v === 'number' && v !== Infinity && v !== -Infinity;

/**
 * A curve's points: the overlay reads step and test accuracy (returned as columns); the other fields, when present,
 * must be numbers. Written out by hand (no path strings unless something fails): a long run has 120,000 points.
 */
function history(value: unknown, path: string): { steps: Float64Array; testAccuracy: Float64Array; bits: Float64Array | null } {
  const points = array(value, path);
  const n = points.length;
  const steps = new Float64Array(n);
  const testAccuracy = new Float64Array(n);
  // Language models' points carry held-out bits per character; a curve has them at every point or not at all.
  let bits: Float64Array | null = n > 0 && (points[0] as Fields | null)?.bitsPerCharacter !== undefined ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const point = points[i] as Fields;
    if (point === null || typeof point !== 'object' || Array.isArray(point)) fail(`${path}[${i}]`, 'is not an object');
    const step = point.step;
    if (typeof step !== 'number' || !(step >= 0) || step === Infinity) fail(`${path}[${i}].step`, 'is not a step number');
    const accuracy = point.testAccuracy;
    if (!isNumber(accuracy) || (accuracy as number) < 0 || (accuracy as number) > 1) measured(accuracy, `${path}[${i}].testAccuracy`, [0, 1]);
    const { epoch, loss, learningRate, taidT, validationAccuracy } = point;
    if (
      (epoch !== undefined && !isNumber(epoch)) ||
      (loss !== undefined && !isNumber(loss)) ||
      (learningRate !== undefined && !isNumber(learningRate)) ||
      (taidT !== undefined && !isNumber(taidT))
    ) {
      for (const key of ['epoch', 'loss', 'learningRate', 'taidT'] as const) if (point[key] !== undefined) measured(point[key], `${path}[${i}].${key}`);
    }
    if (validationAccuracy != null && (!isNumber(validationAccuracy) || (validationAccuracy as number) < 0 || (validationAccuracy as number) > 1)) {
      measured(validationAccuracy, `${path}[${i}].validationAccuracy`, [0, 1]);
    }
    steps[i] = step;
    testAccuracy[i] = accuracy as number;
    if (bits) {
      const value = point.bitsPerCharacter;
      if (value === undefined) bits = null;
      else bits[i] = measured(value, `${path}[${i}].bitsPerCharacter`, [0, 1000]);
    } else if (point.bitsPerCharacter !== undefined) measured(point.bitsPerCharacter, `${path}[${i}].bitsPerCharacter`, [0, 1000]);
  }
  return { steps, testAccuracy, bits };
}

function stages(value: unknown): { stages: KeptStage[]; histories: Set<unknown> } {
  const list = array(value, 'stages');
  if (list.length === 0) fail('stages', 'is empty');
  if (list.length > MAX_STAGES) fail('stages', `has more than ${MAX_STAGES} entries`);
  const names = new Set<string>();
  const histories = new Set<unknown>();
  const kept = list.map((entry, i): KeptStage => {
    const stage = object(entry, `stages[${i}]`);
    const name = text(stage.name, `stages[${i}].name`);
    if (name === '' || names.has(name)) fail(`stages[${i}].name`, name === '' ? 'is empty' : `repeats "${name}"`);
    names.add(name);
    const curve = history(stage.history, `stages[${i}].history`);
    histories.add(stage.history);
    return {
      name,
      label: typeof stage.label === 'string' && stage.label !== '' ? stage.label.slice(0, MAX_TEXT) : name,
      accuracy: measured(stage.accuracy, `stages[${i}].accuracy`, [0, 1]),
      bestAccuracy: measured(stage.bestAccuracy, `stages[${i}].bestAccuracy`, [0, 1]),
      bitsPerCharacter: stage.bitsPerCharacter === undefined ? null : measured(stage.bitsPerCharacter, `stages[${i}].bitsPerCharacter`, [0, 1000]),
      ...curve,
    };
  });
  return { stages: kept, histories };
}

const MAX_SEEDS = 100;

/**
 * A multi-seed run's curves (SavedRun.seedRuns): each seed once, each of its stages one of the summary's, each curve
 * checked like the summary's. Sets each stage's band over the seeds; returns the seeds.
 */
function seedRuns(value: unknown, stages: KeptStage[]): number[] {
  const list = array(value, 'seedRuns');
  if (list.length < 2 || list.length > MAX_SEEDS) fail('seedRuns', `has ${list.length} entries, not 2 to ${MAX_SEEDS}`);
  const seeds: number[] = [];
  const curves = new Map<string, { steps: Float64Array; testAccuracy: Float64Array }[]>();
  list.forEach((entry, i) => {
    const run = object(entry, `seedRuns[${i}]`);
    const seed = count(run.seed, `seedRuns[${i}].seed`);
    if (seeds.includes(seed)) fail(`seedRuns[${i}].seed`, `repeats seed ${seed}`);
    seeds.push(seed);
    const seen = new Set<string>();
    array(run.stages, `seedRuns[${i}].stages`).forEach((s, k) => {
      const path = `seedRuns[${i}].stages[${k}]`;
      const stage = object(s, path);
      const name = text(stage.name, `${path}.name`);
      if (!stages.some((kept) => kept.name === name)) fail(`${path}.name`, `names no stage of the run ("${name}")`);
      if (seen.has(name)) fail(`${path}.name`, `repeats "${name}"`);
      seen.add(name);
      curves.set(name, [...(curves.get(name) ?? []), history(stage.history, `${path}.history`)]);
    });
  });
  // A band only where every seed has the stage's curve.
  for (const stage of stages) {
    const perSeed = curves.get(stage.name);
    if (perSeed?.length === seeds.length) stage.band = seedBand(perSeed);
  }
  return seeds;
}

/** A stage's reliability bins (optional: results from before them have none). */
function reliability(value: unknown, path: string): void {
  const bins = array(value, path);
  if (bins.length > 100) fail(path, 'has more than 100 bins');
  bins.forEach((entry, i) => {
    const bin = object(entry, `${path}[${i}]`);
    measured(bin.lower, `${path}[${i}].lower`, [0, 1]);
    measured(bin.upper, `${path}[${i}].upper`, [0, 1]);
    const n = count(bin.count, `${path}[${i}].count`);
    if (count(bin.correct, `${path}[${i}].correct`) > n) fail(`${path}[${i}].correct`, 'is more than its count');
    if (bin.meanConfidence !== null || n > 0) measured(bin.meanConfidence, `${path}[${i}].meanConfidence`, [0, 1]);
  });
}

function breakdown(value: unknown, path: string): void {
  const m = object(value, path);
  for (const key of ['total', 'bothRight', 'beats', 'copies', 'otherWrong', 'regresses', 'supervisorWrong']) count(m[key], `${path}.${key}`);
  for (const key of ['beatRate', 'copyRate', 'agreementWhenSupervisorRight', 'agreementWhenSupervisorWrong']) ratioOrNull(m[key], `${path}.${key}`);
  measured(m.agreement, `${path}.agreement`);
}

function predictionTriple(value: unknown, path: string, classes: number): void {
  const p = object(value, path);
  const label = classIndices(p.label, `${path}.label`, classes);
  classIndices(p.supervisor, `${path}.supervisor`, classes, label.length);
  classIndices(p.student, `${path}.student`, classes, label.length);
}

/** Most samples a language run writes: a measurement per 10 steps of 6 models over thousands of steps is far fewer. */
const MAX_SAMPLES = 5000;

/** A language run's prompt and writing: texts of bounded length, each character's surprisal a number. */
function language(value: unknown, stages: string[]): void {
  const report = object(value, 'result.language');
  const prompt = object(report.prompt, 'result.language.prompt');
  text(prompt.asked, 'result.language.prompt.asked', MAX_PROMPT_LENGTH);
  text(prompt.used, 'result.language.prompt.used', 1000);
  array(prompt.notes, 'result.language.prompt.notes').forEach((note, i) => text(note, `result.language.prompt.notes[${i}]`, 1000));
  const samples = array(report.samples, 'result.language.samples');
  if (samples.length > MAX_SAMPLES) fail('result.language.samples', `has more than ${MAX_SAMPLES} entries`);
  samples.forEach((entry, i) => {
    const path = `result.language.samples[${i}]`;
    const sample = object(entry, path);
    if (!stages.includes(text(sample.stage, `${path}.stage`))) fail(`${path}.stage`, 'names no stage of the result');
    count(sample.step, `${path}.step`);
    const length = Array.from(text(sample.prompt, `${path}.prompt`, 1000)).length + Array.from(text(sample.text, `${path}.text`, 1000)).length;
    const bits = array(sample.bits, `${path}.bits`);
    if (bits.length !== length) fail(`${path}.bits`, `has ${bits.length} entries for ${length} characters`);
    bits.forEach((b, k) => measured(b, `${path}.bits[${k}]`));
  });
}

/** The full result as the worker sent it (core/experiments/common.ts ExperimentResult). */
function result(value: unknown, checkedHistories: Set<unknown>): void {
  const r = object(value, 'result');
  if (r.formatVersion !== 1) fail('result.formatVersion', 'is not 1');
  if (!KIND_SPECS.some((spec) => spec.kind === r.kind)) fail('result.kind', 'is not a known experiment kind');
  text(r.backend, 'result.backend');
  object(r.config, 'result.config');
  const dataset = object(r.dataset, 'result.dataset');
  text(dataset.id, 'result.dataset.id');
  text(dataset.name, 'result.dataset.name', 1000);
  const classNames = array(dataset.classNames, 'result.dataset.classNames');
  classNames.forEach((name, i) => text(name, `result.dataset.classNames[${i}]`));
  const classes = classNames.length;
  count(dataset.testSize, 'result.dataset.testSize');
  count(dataset.transferSize, 'result.dataset.transferSize');

  const stageMap = object(r.stages, 'result.stages');
  for (const [name, entry] of Object.entries(stageMap)) {
    const path = `result.stages.${name}`;
    const stage = object(entry, path);
    for (const key of ['name', 'label', 'role', 'model', 'bestChosenBy']) text(stage[key], `${path}.${key}`, 1000);
    for (const key of ['parameters', 'trainingExamples', 'bestStep', 'totalSteps', 'stepsRun']) count(stage[key], `${path}.${key}`);
    for (const key of ['accuracy', 'bestAccuracy', 'oracleBestAccuracy']) measured(stage[key], `${path}.${key}`, [0, 1]);
    for (const key of ['ece', 'seconds']) measured(stage[key], `${path}.${key}`);
    if (typeof stage.stoppedEarly !== 'boolean') fail(`${path}.stoppedEarly`, 'is not true or false');
    if (stage.reused !== undefined) measured(object(stage.reused, `${path}.reused`).seconds, `${path}.reused.seconds`);
    // The summary's curves are usually these very arrays (IndexedDB keeps shared references): checked once.
    if (!checkedHistories.has(stage.history)) history(stage.history, `${path}.history`);
    const predictions = classIndices(stage.testPredictions, `${path}.testPredictions`, classes);
    classIndices(stage.bestTestPredictions, `${path}.bestTestPredictions`, classes, predictions.length);
    if (stage.gridPredictions !== undefined) classIndices(stage.gridPredictions, `${path}.gridPredictions`, classes);
    if (stage.bitsPerCharacter !== undefined) measured(stage.bitsPerCharacter, `${path}.bitsPerCharacter`, [0, 1000]);
    if (stage.reliability !== undefined) reliability(stage.reliability, `${path}.reliability`);
  }
  const roles = object(r.roles, 'result.roles');
  for (const key of ['supervisor', 'reference', 'student']) {
    if (!Object.hasOwn(stageMap, text(roles[key], `result.roles.${key}`))) fail(`result.roles.${key}`, 'names no stage of the result');
  }
  const pgr = object(r.pgr, 'result.pgr');
  text(pgr.definition, 'result.pgr.definition', 1000);
  for (const key of ['final', 'best', 'oracleBest']) ratioOrNull(pgr[key], `result.pgr.${key}`);
  if (pgr.reason !== null) text(pgr.reason, 'result.pgr.reason', 1000);
  const mistakes = object(r.mistakes, 'result.mistakes');
  breakdown(mistakes.test, 'result.mistakes.test');
  breakdown(mistakes.transfer, 'result.mistakes.transfer');
  array(r.charts, 'result.charts').forEach((entry, c) => {
    const chart = object(entry, `result.charts[${c}]`);
    const info = object(chart.info, `result.charts[${c}].info`);
    for (const key of ['id', 'title', 'xLabel', 'yLabel']) text(info[key], `result.charts[${c}].info.${key}`);
    if (info.kind !== 'line' && info.kind !== 'bar') fail(`result.charts[${c}].info.kind`, 'is not line or bar');
    array(info.series, `result.charts[${c}].info.series`).forEach((s, k) => {
      text(object(s, `result.charts[${c}].info.series[${k}]`).key, `result.charts[${c}].info.series[${k}].key`);
      text((s as Fields).label, `result.charts[${c}].info.series[${k}].label`);
    });
    for (const [key, points] of Object.entries(object(chart.points, `result.charts[${c}].points`))) {
      array(points, `result.charts[${c}].points.${key}`).forEach((p, i) => {
        const point = object(p, `result.charts[${c}].points.${key}[${i}]`);
        measured(point.x, `result.charts[${c}].points.${key}[${i}].x`);
        measured(point.y, `result.charts[${c}].points.${key}[${i}].y`);
        if (point.label !== undefined) text(point.label, `result.charts[${c}].points.${key}[${i}].label`);
      });
    }
  });
  if (r.students !== undefined) {
    array(r.students, 'result.students').forEach((entry, i) => {
      const student = object(entry, `result.students[${i}]`);
      text(student.stage, `result.students[${i}].stage`);
      text(student.label, `result.students[${i}].label`);
      measured(student.accuracy, `result.students[${i}].accuracy`, [0, 1]);
      measured(student.bestAccuracy, `result.students[${i}].bestAccuracy`, [0, 1]);
      const gap = object(student.gap, `result.students[${i}].gap`);
      ratioOrNull(gap.final, `result.students[${i}].gap.final`);
      ratioOrNull(gap.best, `result.students[${i}].gap.best`);
      breakdown(student.mistakes, `result.students[${i}].mistakes`);
    });
  }
  if (r.language !== undefined) language(r.language, Object.keys(stageMap));
  const predictions = object(r.predictions, 'result.predictions');
  predictionTriple(predictions.test, 'result.predictions.test', classes);
  predictionTriple(predictions.transfer, 'result.predictions.transfer', classes);
  measured(r.seconds, 'result.seconds');
}

/** A key or value as a notice may quote it: short, never throwing, never an echo of a long string. */
export function quoted(value: unknown): string {
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = typeof value;
  }
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/**
 * Reads one stored entry. `id` is its key, as text. Never throws: a damaged entry comes back as a notice that
 * names it and says what is wrong.
 */
export function readSavedRun(id: string, value: unknown): ReadOutcome {
  const title =
    value !== null && typeof value === 'object' && typeof (value as Fields).title === 'string' && (value as Fields).title !== ''
      ? ((value as Fields).title as string)
      : null;
  const named = `Saved run ${title ? `"${title.length > 80 ? `${title.slice(0, 77)}...` : title}" (${quoted(id)})` : quoted(id)}`;
  try {
    const entry = object(value, 'the entry');
    let config: ReturnType<typeof readConfig>;
    try {
      config = readConfig(entry.config);
    } catch (error) {
      throw new Damage(`its config cannot be read (${error instanceof ConfigError ? error.problems.join('; ') : String(error)})`);
    }
    const summary = stages(entry.stages);
    const notices: string[] = [];
    let hasResults = false;
    if (entry.result !== undefined && entry.result !== null) {
      try {
        result(entry.result, summary.histories);
        hasResults = true;
      } catch (error) {
        if (!(error instanceof Damage)) throw error;
        notices.push(`${named}: its per-example results could not be read (${error.message}) and are left out; its curves and config are shown.`);
      }
    }
    let seeds: number[] | undefined;
    if (entry.seedRuns !== undefined) {
      try {
        seeds = seedRuns(entry.seedRuns, summary.stages);
      } catch (error) {
        if (!(error instanceof Damage)) throw error;
        summary.stages.forEach((stage) => delete stage.band);
        notices.push(`${named}: its curves per seed could not be read (${error.message}) and are left out; the run is shown as one seed.`);
      }
    }
    const savedAt = typeof entry.savedAt === 'number' && Number.isFinite(entry.savedAt) ? entry.savedAt : NaN;
    const pgr = typeof entry.pgr === 'number' && Number.isFinite(entry.pgr) ? entry.pgr : null;
    const run: KeptRun = {
      id,
      savedAt,
      title: title ? title.slice(0, MAX_TEXT) : `Saved ${config.config.kind} run`,
      config: config.config,
      backend: typeof entry.backend === 'string' ? entry.backend.slice(0, 40) : 'unknown',
      stages: summary.stages,
      pgr,
      hasResults,
      loadNotices: config.notices,
      name: runName(config.config, seeds),
      ...(seeds ? { seeds } : {}),
    };
    return { ok: true, run, notices };
  } catch (error) {
    // RangeError: a structure too deep to walk. Anything else is a bug here, and still only this entry's problem.
    const why = error instanceof Damage ? error.message : `it could not be checked (${error instanceof Error ? error.message : String(error)})`;
    return {
      ok: false,
      notice: `${named} could not be read and was skipped: ${value === null ? 'it is empty (null)' : value === undefined ? 'it is empty' : why}.`,
    };
  }
}
