/** Figures the panels show, computed from the run state with the core's own metric functions. */
import type { StageResult } from '../core/experiments/figures';
import { DEFAULT_VIEW, type KindView, type StageRoles } from '../core/experiments/kind';
import type { ExperimentConfig } from '../core/config/schema';
import { factsOfConfig, type RunFacts } from '../core/experiments/narration';
import { kindSpec, type ExperimentKind } from '../core/experiments/kinds';
import { performanceGapRecovered, type Pgr } from '../core/metrics';
import type { RunState, StageView } from './store/run-state';

export function rolesOf(run: RunState): StageRoles | null {
  return run.start ? kindSpec(run.start.kind).roles : null;
}

/** How the page shows a kind's runs (its spec's view): accuracy and the matrix, or bits per character and the language lab. */
export function viewOfKind(kind: ExperimentKind): KindView {
  return kindSpec(kind).view ?? DEFAULT_VIEW;
}

/** The view of the run on screen, or of the form's experiment before its first event. */
export function viewOf(run: RunState, draftKind: ExperimentKind): KindView {
  return viewOfKind(run.start?.kind ?? draftKind);
}

/** Latest held-out bits per character of a stage (final once it is done); null before its first measurement. */
export function latestBits(stage: StageView | undefined): number | null {
  if (!stage) return null;
  const value = stage.result ? stage.result.bitsPerCharacter : stage.history.at(-1)?.bitsPerCharacter;
  return value === undefined || !Number.isFinite(value) ? null : value;
}

export const bitsText = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

export function stageByName(run: RunState, name: string): StageView | undefined {
  return run.stages.find((s) => s.name === name);
}

/** Latest test accuracy of a stage (final once it is done); null before its first measurement. */
export function latestAccuracy(stage: StageView | undefined): number | null {
  if (!stage) return null;
  if (stage.result) return stage.result.accuracy;
  return stage.history.length ? stage.history[stage.history.length - 1].testAccuracy : null;
}

/** The students the matrix can compare with the supervisor (several in the comparison experiments). */
export function studentsOf(run: RunState): string[] {
  const roles = rolesOf(run);
  if (!roles) return [];
  const names = roles.students ? [...roles.students] : [roles.student];
  return names.filter((name) => stageByName(run, name));
}

/** The student the matrix shows: the visitor's choice when the run has it, else the experiment's main student. */
export function matrixStudentOf(run: RunState, chosen: string | null): string | null {
  const roles = rolesOf(run);
  if (!roles) return null;
  return chosen && studentsOf(run).includes(chosen) ? chosen : roles.student;
}

/** The gap ratio from the finished lower and upper stages and the student's accuracy a. */
export function gapAt(run: RunState, studentAccuracy: number): Pgr | null {
  const roles = rolesOf(run);
  if (!roles?.gapName) return null;
  const lower = stageByName(run, roles.lower)?.result?.accuracy;
  const upper = stageByName(run, roles.upper)?.result?.accuracy;
  if (lower === undefined || upper === undefined) return null;
  return performanceGapRecovered(lower, upper, studentAccuracy);
}

export interface GapPoint {
  step: number;
  value: number | null;
}

/** The gap ratio along the student's training (needs the lower and upper stages finished). */
export function gapSeries(run: RunState): GapPoint[] {
  const roles = rolesOf(run);
  if (!roles?.gapName) return [];
  const student = stageByName(run, roles.student);
  if (!student) return [];
  return student.history.map((p) => ({ step: p.step, value: gapAt(run, p.testAccuracy)?.value ?? null }));
}

export const percent = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(digits)}%`);
export const ratio = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));

/**
 * Colours per stage name, used by every chart and legend. Each reads as text on white at WCAG AA (4.5:1 or more),
 * since stage names on the cards are written in them.
 */
export const STAGE_COLORS: Record<string, string> = {
  weak: '#b45309',
  teacher: '#7c3aed',
  ceiling: '#2563eb',
  baseline: '#64748b',
  student: '#047857',
  // Comparison experiments' students, distinct from the roles above and from each other within an experiment.
  direct: '#be185d',
  'link-1': '#4f46e5',
  'link-2': '#0e7490',
  'link-3': '#4d7c0f',
  xent: '#64748b',
  logconf: '#047857',
  product: '#0e7490',
  kd: '#047857',
  'reverse-kl': '#be185d',
  taid: '#0e7490',
  fixed: '#b91c1c',
  fresh: '#1f77b4',
  // Language models.
  'forward-kl': '#059669',
  'seq-kd': '#ea580c',
  oracle: '#0f172a',
  reference: '#94a3b8',
  random: '#64748b',
  selected: '#059669',
};

/** Further colours for stages without one of their own (chain links, compared students), each AA on white too. */
const EXTRA_COLORS = ['#0e7490', '#be185d', '#4d7c0f', '#9333ea', '#c2410c', '#0f766e', '#4f46e5', '#a16207'];

/** The colour of a stage (or chart series) by name: fixed for the usual roles, stable for the rest. */
export function stageColor(name: string): string {
  if (STAGE_COLORS[name]) return STAGE_COLORS[name];
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return EXTRA_COLORS[hash % EXTRA_COLORS.length];
}

export const CATEGORY_COLORS = {
  bothRight: '#64748b',
  beats: '#047857',
  copies: '#b91c1c',
  otherWrong: '#b45309',
  regresses: '#6d28d9',
} as const;

export const CATEGORY_LABELS = {
  bothRight: 'both right',
  beats: 'beats',
  copies: 'copies',
  otherWrong: 'other mistake',
  regresses: 'regresses',
} as const;

/** JSON with keys in a fixed order, so two configs compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function sameConfig(a: ExperimentConfig, b: ExperimentConfig): boolean {
  return a === b || canonical(a) === canonical(b);
}

/**
 * Whether the results on screen were made from the settings in the form. After an edit they are out of date:
 * the page marks them so, and the captions stop quoting them, until the next run.
 */
export function resultsAreCurrent(run: RunState, draft: ExperimentConfig): boolean {
  return run.config === null || sameConfig(run.config, draft);
}

/** What the captions may quote about the run on screen: only what was measured with the form's settings. */
export function runFacts(run: RunState, draft: ExperimentConfig): RunFacts {
  if (!run.config || !run.start || run.status === 'starting' || !sameConfig(run.config, draft)) return factsOfConfig(draft);
  const stages: Record<string, StageResult> = {};
  const models: Record<string, string> = {};
  for (const stage of run.stages) {
    if (stage.result) stages[stage.name] = stage.result;
    if (stage.model) models[stage.name] = stage.model;
  }
  return { config: run.config, stages, result: run.result, charts: run.charts, testLabels: run.start.test.labels, models };
}
