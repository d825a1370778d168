/**
 * The rerun the stage cache is for: the same experiment with only the student changed (its learning rate times
 * 0.9), so that every stage the student does not depend on (a teacher, a supervisor, a ceiling) can be reused.
 */
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';

export function withStudentChanged(config: ExperimentConfig): ExperimentConfig {
  const student = (config as unknown as { student: { train: { learningRate: number } } }).student;
  const learningRate = Number((student.train.learningRate * 0.9).toPrecision(6));
  return parseConfig({ ...config, student: { ...student, train: { ...student.train, learningRate } } });
}
