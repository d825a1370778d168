/** The temperature sweep's stages: the spec announces them, the runner trains them, the captions follow them. */
import type { KdVariantsConfig } from './spec';

/** The sweep's temperatures, ascending, each once. */
export function sweepTemperatures(config: KdVariantsConfig): number[] {
  return [...new Set(config.temperatureSweep)].sort((a, b) => a - b);
}

export const sweepStageName = (temperature: number) => `kd-T${temperature}`;
