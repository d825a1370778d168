/** Shared by the study tests: results that depend only on their config, as a real run's do. */
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult } from '../../core/experiments/contract';

/** A result that depends only on its config, as a real run's does. */
export function fakeResult(config: ExperimentConfig): ExperimentResult {
  const c = config as Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
  const width = c.student.model.type === 'mlp' ? c.student.model.width : 0;
  const student = 0.7 + width / 1000 + config.seed / 100;
  const stage = (name: string, accuracy: number) => ({
    name,
    label: name,
    accuracy,
    bestAccuracy: accuracy,
    history: [{ step: 0, loss: 1, testAccuracy: 0.5, validationAccuracy: null, learningRate: 0.01, epoch: 0 }],
  });
  const pgr = (student - 0.7) / 0.2;
  return {
    kind: config.kind,
    config,
    backend: 'cpu',
    stages: { weak: stage('weak', 0.7), ceiling: stage('ceiling', 0.9), student: stage('student', student) },
    pgr: { definition: '', final: pgr, best: pgr, oracleBest: pgr, reason: null },
    mistakes: { test: { beatRate: 0.5, copyRate: 0.25 }, transfer: {} },
    charts: [],
    seconds: 1,
  } as unknown as ExperimentResult;
}
