/**
 * Comparing kept runs: what differs between two configs (path, value in A, value in B), the name of a run by what
 * differs from its preset ("w2s-mnist, student.train.epochs 5 -> 10, seed 2"), and the colours and dashes of the
 * overlay: a hue per run, a lightness and a dash per model, so that no two curves look alike.
 */
import type { ExperimentConfig } from '../../core/config/schema';
import { PRESETS, presetConfig } from '../../core/presets';

export interface ConfigChange {
  /** Dotted path, e.g. "student.train.epochs". */
  path: string;
  /** The value in A and in B; undefined where that side has no such field. */
  a: unknown;
  b: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Every leaf that differs between two configs, in the order of A's fields then B's new ones. An object present on
 * one side only is one change (not one per field inside it); lists are compared whole.
 */
export function diffConfigs(a: unknown, b: unknown, prefix = ''): ConfigChange[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
    return keys.flatMap((key) => diffConfigs(a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, a, b }];
}

const MAX_VALUE_TEXT = 60;

/** A config value as the page shows it: numbers and words as they are, objects as short JSON, a missing field as "(none)". */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

/**
 * Changes for a name: a model or loss whose type changed is one change ("student.model.type mlp -> cnn"), not one
 * per field that came or went with it.
 */
function headlineChanges(changes: ConfigChange[]): ConfigChange[] {
  const replaced = changes.filter((c) => c.path.endsWith('.type')).map((c) => c.path.slice(0, -'type'.length));
  return changes.filter((c) => c.path.endsWith('.type') || !replaced.some((prefix) => c.path.startsWith(prefix)));
}

/** Each preset's full config, parsed once (runs are named as the archive is read, one after another). */
const presetConfigs = new Map<string, ExperimentConfig>();

/** The preset of the same kind this config differs from least (the seed aside), with the differences. */
export function nearestPreset(config: ExperimentConfig): { id: string; changes: ConfigChange[] } | null {
  let best: { id: string; changes: ConfigChange[] } | null = null;
  for (const preset of PRESETS) {
    let base = presetConfigs.get(preset.id);
    if (!base) presetConfigs.set(preset.id, (base = presetConfig(preset.id)));
    if (base.kind !== config.kind) continue;
    const changes = headlineChanges(diffConfigs(base, config).filter((c) => c.path !== 'seed'));
    if (!best || changes.length < best.changes.length) best = { id: preset.id, changes };
  }
  return best;
}

/** Changes named in a run's name at most; the rest are counted ("+ 2 more"). */
const NAMED_CHANGES = 3;

/** "1, 2, 3" as "1-3"; other lists as they are. */
export function seedList(seeds: readonly number[]): string {
  const consecutive = seeds.length > 2 && seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  return consecutive ? `${seeds[0]}-${seeds.at(-1)}` : seeds.join(', ');
}

/** A run's name: its nearest preset and what differs from it, then its seed(s). */
export function runName(config: ExperimentConfig, seeds?: readonly number[]): string {
  const nearest = nearestPreset(config);
  const seedText = seeds && seeds.length > 1 ? `seeds ${seedList(seeds)}` : `seed ${config.seed}`;
  if (!nearest) return `${config.kind}, ${seedText}`;
  const named = nearest.changes.slice(0, NAMED_CHANGES).map((c) => `${c.path} ${formatValue(c.a)} -> ${formatValue(c.b)}`);
  const more = nearest.changes.length - named.length;
  return [nearest.id, ...named, ...(more > 0 ? [`+ ${more} more`] : []), seedText].join(', ');
}

/** A hue per run (the first run blue, then red, green...): distinct for up to eight runs, then repeated. */
export const RUN_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f'];

/** Per model, the same for every run: the first (the student) solid at the run's own colour, the others lighter or darker and dashed. */
export const MODEL_STYLES: { dash: number[]; lightness: number; name: string }[] = [
  { dash: [], lightness: 0, name: 'solid' },
  { dash: [8, 4], lightness: 0.45, name: 'dashed, light' },
  { dash: [2, 3], lightness: -0.4, name: 'dotted, dark' },
  { dash: [10, 3, 2, 3], lightness: 0.7, name: 'dash-dot, pale' },
  { dash: [4, 4], lightness: -0.65, name: 'short dashes, deep' },
  { dash: [1, 5], lightness: 0.25, name: 'sparse dots' },
];

/** The colour `hex` moved towards white (amount > 0) or black (amount < 0). */
function tint(hex: string, amount: number): string {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const target = amount > 0 ? 255 : 0;
  return `#${channels
    .map((c) =>
      Math.round(c + (target - c) * Math.abs(amount))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** How the curve of model `model` of run `run` is drawn. */
export function curveStyle(run: number, model: number): { color: string; dash: number[] } {
  const style = MODEL_STYLES[model % MODEL_STYLES.length];
  return { color: tint(RUN_COLORS[run % RUN_COLORS.length], style.lightness), dash: style.dash };
}
