/**
 * Controls a lecturer hid through the link (`hide=student.loss,presets,...`): config paths hide that field or
 * everything under it; names hide whole parts of the page (presets, controls, share, backend, config,
 * summary, curves, research, matrix, examples, inside).
 */
export function isHidden(hidden: readonly string[], key: string): boolean {
  return hidden.some((h) => key === h || key.startsWith(`${h}.`));
}
