/** The temperature sweep's stages: the spec announces them, the runner trains them, the captions follow them. */
/** The sweep's temperatures, ascending, each once. */
export function sweepTemperatures(config: { temperatureSweep: readonly number[] }): number[] {
  return [...new Set(config.temperatureSweep)].sort((a, b) => a - b);
}

export const sweepStageName = (temperature: number) => `kd-T${temperature}`;
