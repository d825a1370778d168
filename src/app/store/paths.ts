/** Reading and writing a config by path (["student", "train", "epochs"]), without mutating it. */
import type { Path } from './types';

export function setIn(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const source = (target ?? {}) as Record<string | number, unknown>;
  const copy = (Array.isArray(source) ? [...source] : { ...source }) as Record<string | number, unknown>;
  copy[key] = setIn(source[key], rest, value);
  return copy;
}

export function getIn(target: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], target);
}
