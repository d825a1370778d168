/** PLACEHOLDER: being written (issue 5). */
import type { RandomTeacherConfig } from '../config';
import type { ExperimentResult, RunContext } from './common';

export async function runRandomTeacher(config: RandomTeacherConfig, _ctx: RunContext, _backend: string): Promise<ExperimentResult> {
  throw new Error(`the ${config.kind} experiment is not available yet`);
}
