/**
 * Several seeds of one experiment as one result: mean and sample standard deviation of every stage's final and
 * best test accuracy, of the gap ratio (PGR, gap closed) with the seeds where it is undefined counted and named,
 * of beat and copy rates, of every compared student's figures, and the test-accuracy curve as a band (mean and
 * sd at the steps every seed measured). shared/METHODS.md section 5. Page-safe: plain data in, plain data out.
 */
import type { ExperimentResult } from '../experiments/contract';
import type { MetricPoint, StageResult, StudentSummary } from '../experiments/figures';
import { kindSpec } from '../experiments/kinds';
import { finite, spread, type Spread } from './stats';

/** What a summary reads of a result: results files and sweep cells without per-example predictions qualify. */
export type SummarisedResult = Pick<ExperimentResult, 'kind' | 'config' | 'pgr'> & {
  stages: Record<
    string,
    Pick<StageResult, 'name' | 'label' | 'accuracy' | 'bestAccuracy'> & { history: readonly Pick<MetricPoint, 'step' | 'testAccuracy'>[] }
  >;
  mistakes: { test: { beatRate: number | null; copyRate: number | null } };
  students?: Pick<StudentSummary, 'stage' | 'label' | 'accuracy' | 'bestAccuracy' | 'gap' | 'mistakes'>[];
};

/** A gap ratio over seeds: the seeds where it is undefined are counted in `undefinedSeeds`, with the reason, never dropped silently. */
export interface GapSpread extends Spread {
  undefinedSeeds: { seed: number; reason: string }[];
}

/** Mean and sd of the test accuracy at one step that every seed measured. */
export interface BandPoint {
  step: number;
  mean: number;
  sd: number | null;
  n: number;
}

export interface StageSpread {
  label: string;
  accuracy: Spread;
  bestAccuracy: Spread;
  /** The test-accuracy curve's band, at the steps all seeds share. */
  curve: BandPoint[];
}

export interface StudentSpread {
  stage: string;
  label: string;
  accuracy: Spread;
  bestAccuracy: Spread;
  gap: { final: GapSpread; best: GapSpread };
  beatRate: Spread;
  copyRate: Spread;
}

export interface SeedSummary {
  kind: ExperimentResult['kind'];
  /** The seeds summarised, in order; every Spread's `values` follow it. */
  seeds: number[];
  stages: Record<string, StageSpread>;
  /** The gap ratio: `name` is PGR or gap closed (null where the kind has none). */
  pgr: { name: string | null; final: GapSpread; best: GapSpread };
  /** On test, of the headline student against its supervisor. */
  mistakes: { beatRate: Spread; copyRate: Spread };
  students: StudentSpread[];
}

/** The config apart from its seed, to check that results are seeds of one experiment. */
function withoutSeed(config: unknown): string {
  return JSON.stringify({ ...(config as object), seed: null });
}

function gapSpread(values: readonly (number | null)[], seeds: readonly number[], reasons: readonly (string | null)[], name: string): GapSpread {
  const summary = spread(values);
  const undefinedSeeds = seeds.flatMap((seed, i) => (summary.values[i] === null ? [{ seed, reason: reasons[i] ?? `${name} is undefined` }] : []));
  return { ...summary, undefinedSeeds };
}

/** Mean and sd of the test accuracy at each step every result measured, in step order. */
export function curveBand(histories: readonly (readonly Pick<MetricPoint, 'step' | 'testAccuracy'>[])[]): BandPoint[] {
  if (histories.length === 0) return [];
  const byStep = histories.map((history) => new Map(history.map((p) => [p.step, p.testAccuracy])));
  const shared = [...byStep[0].keys()].filter((step) => byStep.every((points) => points.has(step))).sort((a, b) => a - b);
  return shared.flatMap((step) => {
    const { mean, sd, n } = spread(byStep.map((points) => points.get(step)));
    return mean === null ? [] : [{ step, mean, sd, n }];
  });
}

/**
 * Summarises the results of one experiment over several seeds. Throws when they are not that: different kinds,
 * stages or settings other than the seed, or a seed given twice.
 */
export function summariseSeeds(results: readonly SummarisedResult[]): SeedSummary {
  if (results.length === 0) throw new Error('no results to summarise');
  const seeds = results.map((r) => r.config.seed);
  const repeated = seeds.find((seed, i) => seeds.indexOf(seed) !== i);
  if (repeated !== undefined) throw new Error(`seed ${repeated} appears twice: each seed counts once`);
  const first = results[0];
  const stageNames = Object.keys(first.stages);
  for (const result of results.slice(1)) {
    if (result.kind !== first.kind) throw new Error(`results of different experiments (${first.kind} and ${result.kind}) cannot be summarised together`);
    if (withoutSeed(result.config) !== withoutSeed(first.config))
      throw new Error(`seed ${result.config.seed} has other settings than seed ${first.config.seed}`);
    if (Object.keys(result.stages).join() !== stageNames.join()) throw new Error(`seed ${result.config.seed} has other stages than seed ${first.config.seed}`);
  }
  const gapName = kindSpec(first.kind).roles.gapName;
  const undefinedName = gapName ?? 'the gap ratio';
  const stages: Record<string, StageSpread> = {};
  for (const name of stageNames) {
    const of = results.map((r) => r.stages[name]);
    stages[name] = {
      label: first.stages[name].label,
      accuracy: spread(of.map((s) => s.accuracy)),
      bestAccuracy: spread(of.map((s) => s.bestAccuracy)),
      curve: curveBand(of.map((s) => (Array.isArray(s.history) ? s.history : []))),
    };
  }
  const reasons = results.map((r) => r.pgr.reason);
  const students = (Array.isArray(first.students) ? first.students : []).map((student): StudentSpread => {
    const of = results.map((r) => (Array.isArray(r.students) ? r.students.find((s) => s?.stage === student.stage) : undefined));
    return {
      stage: student.stage,
      label: student.label,
      accuracy: spread(of.map((s) => s?.accuracy)),
      bestAccuracy: spread(of.map((s) => s?.bestAccuracy)),
      gap: {
        final: gapSpread(
          of.map((s) => finite(s?.gap?.final)),
          seeds,
          reasons,
          undefinedName,
        ),
        best: gapSpread(
          of.map((s) => finite(s?.gap?.best)),
          seeds,
          reasons,
          undefinedName,
        ),
      },
      beatRate: spread(of.map((s) => s?.mistakes?.beatRate)),
      copyRate: spread(of.map((s) => s?.mistakes?.copyRate)),
    };
  });
  return {
    kind: first.kind,
    seeds,
    stages,
    pgr: {
      name: gapName,
      final: gapSpread(
        results.map((r) => finite(r.pgr.final)),
        seeds,
        reasons,
        undefinedName,
      ),
      best: gapSpread(
        results.map((r) => finite(r.pgr.best)),
        seeds,
        reasons,
        undefinedName,
      ),
    },
    mistakes: { beatRate: spread(results.map((r) => r.mistakes.test.beatRate)), copyRate: spread(results.map((r) => r.mistakes.test.copyRate)) },
    students,
  };
}
