/** The result every kind reports: gap ratios, beat/copy breakdowns and per-example predictions. */
import type { ExperimentConfig } from '../config/schema';
import type { ExperimentData } from '../data/splits';
import { mistakeBreakdown, performanceGapRecovered } from '../metrics';
import type { ChartData } from './charts';
import type { ExperimentResult } from './contract';
import type { StageResult, StudentSummary } from './figures';
import { KIND_SPECS } from './kinds';

export interface ResultParts {
  config: ExperimentConfig;
  backend: string;
  data: ExperimentData;
  stages: Record<string, StageResult>;
  /** Accuracy the best-checkpoint ratio starts from (the weak model that made the labels is only ever final). */
  lowerBestAccuracy: number;
  definition: string;
  transfer: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
  started: number;
  charts?: ChartData[];
}

/** The gap ratios, beat/copy breakdowns and per-example predictions every experiment kind reports. */
export function assembleResult(parts: ResultParts): ExperimentResult {
  const { config, data, stages, transfer } = parts;
  const roles = KIND_SPECS.find((spec) => spec.kind === config.kind)!.roles;
  const lower = stages[roles.lower];
  const upper = stages[roles.upper];
  const student = stages[roles.student];
  const supervisor = stages[roles.supervisor];
  const noGap = { value: null, reason: 'this experiment has no gap ratio' };
  const gap = (lowerAcc: number, upperAcc: number, studentAcc: number) => (roles.gapName ? performanceGapRecovered(lowerAcc, upperAcc, studentAcc) : noGap);
  const final = gap(lower.accuracy, upper.accuracy, student.accuracy);
  const best = gap(parts.lowerBestAccuracy, upper.bestAccuracy, student.bestAccuracy);
  const oracle = gap(parts.lowerBestAccuracy, upper.oracleBestAccuracy, student.oracleBestAccuracy);
  const students = roles.students
    ?.filter((name) => name in stages)
    .map((name): StudentSummary => {
      const stage = stages[name];
      return {
        stage: name,
        label: stage.label,
        accuracy: stage.accuracy,
        bestAccuracy: stage.bestAccuracy,
        gap: {
          final: gap(lower.accuracy, upper.accuracy, stage.accuracy).value,
          best: gap(parts.lowerBestAccuracy, upper.bestAccuracy, stage.bestAccuracy).value,
        },
        mistakes: mistakeBreakdown(data.test.y, supervisor.testPredictions, stage.testPredictions),
      };
    });
  return {
    formatVersion: 1,
    kind: config.kind,
    config,
    backend: parts.backend,
    dataset: { id: data.datasetId, name: data.name, classNames: data.classNames, testSize: data.test.count, transferSize: transfer.label.length },
    stages,
    roles: { supervisor: roles.supervisor, reference: roles.supervisor === roles.lower ? roles.upper : roles.lower, student: roles.student },
    pgr: { definition: parts.definition, final: final.value, best: best.value, oracleBest: oracle.value, reason: final.reason ?? best.reason },
    mistakes: {
      test: mistakeBreakdown(data.test.y, supervisor.testPredictions, student.testPredictions),
      transfer: mistakeBreakdown(transfer.label, transfer.supervisor, transfer.student),
    },
    charts: parts.charts ?? [],
    ...(students ? { students } : {}),
    predictions: {
      test: { label: data.test.y, supervisor: supervisor.testPredictions, student: student.testPredictions },
      transfer,
    },
    seconds: (performance.now() - parts.started) / 1000,
  };
}
