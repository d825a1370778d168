/**
 * Axes of a sweep: any number, choice or variant of a config, by its dotted path, with values typed or generated.
 *
 *   data.supervisorSize=50,100,200        numbers, as typed
 *   student.train.learningRate=log:1e-4:1e-2:3    lin:a:b:n or log:a:b:n, n values from a to b (rounded for whole-number fields)
 *   weakLabels.kind=soft,hard             a choice
 *   supervisor.model=linear,mlp:16,mlp:64 a variant: its type, then `:N` for the variant's first number (mlp: width,
 *                                         cnn: filters) and `:field=value` for any other of its fields
 *   student.model.head=linear,mlp:256     a choice with a companion: `:N` sets the first number beside it (headWidth)
 *
 * A value is checked against its own field here (a number out of range is kept with its problem, and every cell
 * with it is refused); the whole cell is checked when the sweep is planned.
 */
import { z } from 'zod';
import { fieldOfConfig } from '../config/introspect';
import type { ExperimentConfig } from '../config/schema';
import { SweepInputError } from './errors';
import { shorten } from './seeds';

export type AxisKind = 'number' | 'integer' | 'enum' | 'variant';

/** An axis as typed: `PATH=VALUES`. */
export interface AxisSpec {
  path: string;
  values: string;
}

export interface AxisValue {
  /** As tables and figures show it: "16", "0.001", "hard", "mlp:16". */
  label: string;
  /** The object of the config the value is written into (its path), and what is written there. */
  at: string[];
  patch: Record<string, unknown>;
  /** A variant of another type than the base's replaces the object (its other fields take their defaults); otherwise the patch is merged in. */
  replace: boolean;
  /** Why this value cannot be used (out of its field's range, not a whole number), or null. Cells with it are refused. */
  problem: string | null;
}

export interface Axis {
  path: string;
  kind: AxisKind;
  values: AxisValue[];
}

/** More values than this on one axis is a typo, not a sweep. */
export const MAX_AXIS_VALUES = 100;

/** A plain decimal number: no hex, no Infinity, no empty string. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const PATH = /^[A-Za-z][A-Za-z0-9]*(?:\.(?:[A-Za-z][A-Za-z0-9]*|\d+))*$/;

/** Splits `PATH=VALUES` (the command line's --vary). */
export function parseAxisSpec(text: string): AxisSpec {
  const equals = text.indexOf('=');
  if (equals < 0) throw new SweepInputError(`axis "${shorten(text)}": write PATH=VALUES, e.g. data.supervisorSize=50,100 or student.train.epochs=lin:2:10:5`);
  return { path: text.slice(0, equals).trim(), values: text.slice(equals + 1).trim() };
}

type NumberField = { kind: 'number'; min: number; max: number; integer: boolean };
type EnumField = { kind: 'enum'; options: string[] };
type Leaf = NumberField | EnumField;

function leafOf(schema: z.ZodType): Leaf | null {
  if (schema instanceof z.ZodNumber) return { kind: 'number', min: schema.minValue ?? -Infinity, max: schema.maxValue ?? Infinity, integer: schema.isInt };
  if (schema instanceof z.ZodEnum) return { kind: 'enum', options: schema.options.map(String) };
  return null;
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** A typed number for a numeric field: the number and its problem (null when it fits the field). */
function numberValue(text: string, field: NumberField, where: string): { value: number; problem: string | null } {
  if (!NUMBER.test(text)) throw new SweepInputError(`axis ${where}: "${shorten(text)}" is not a number`);
  const value = Number(text);
  return { value, problem: numberProblem(value, field, where) };
}

function numberProblem(value: number, field: NumberField, where: string): string | null {
  if (field.integer && !Number.isInteger(value)) return `${where}: must be a whole number (got ${value})`;
  if (value < field.min) return `${where}: must be at least ${field.min} (allowed range ${field.min} to ${field.max}; got ${value})`;
  if (value > field.max) return `${where}: must be at most ${field.max} (allowed range ${field.min} to ${field.max}; got ${value})`;
  return null;
}

/**
 * `:16` and `:depth=2` after a type or a choice: fields of the object the value goes into. A bare number sets the
 * first numeric field (other than `exclude`) in the schema's order.
 */
function assignments(items: string[], shape: Record<string, z.ZodType>, exclude: string, place: { axis: string; object: string }, label: string) {
  const where = place.axis;
  const patch: Record<string, unknown> = {};
  const problems: string[] = [];
  const fields = Object.keys(shape).filter((key) => key !== 'type' && key !== exclude);
  for (const item of items) {
    const equals = item.indexOf('=');
    let key: string;
    let text: string;
    if (equals < 0) {
      const first = fields.find((k) => leafOf(unwrapped(shape[k]))?.kind === 'number');
      if (!first) throw new SweepInputError(`axis ${where}: "${shorten(label)}": there is no number to set with ":${shorten(item)}"`);
      [key, text] = [first, item];
    } else {
      [key, text] = [item.slice(0, equals).trim(), item.slice(equals + 1).trim()];
    }
    if (!fields.includes(key) || !Object.hasOwn(shape, key)) {
      throw new SweepInputError(`axis ${where}: "${shorten(label)}": no field "${shorten(key)}" here (its fields: ${fields.join(', ')})`);
    }
    if (Object.hasOwn(patch, key)) throw new SweepInputError(`axis ${where}: "${shorten(label)}" sets ${key} twice`);
    const leaf = leafOf(unwrapped(shape[key]));
    if (leaf?.kind === 'number') {
      const { value, problem } = numberValue(text, leaf, place.object ? `${place.object}.${key}` : key);
      patch[key] = value;
      if (problem) problems.push(problem);
    } else if (leaf?.kind === 'enum') {
      if (!leaf.options.includes(text)) throw new SweepInputError(`axis ${where}: "${shorten(label)}": ${key} must be one of ${leaf.options.join(', ')}`);
      patch[key] = text;
    } else {
      throw new SweepInputError(`axis ${where}: "${shorten(label)}": ${key} is not a number or a choice`);
    }
  }
  return { patch, problem: problems.length ? problems.join('; ') : null };
}

/** n numbers from a to b, evenly (lin) or geometrically (log) spaced; whole numbers rounded, duplicates after rounding dropped. */
function generate(spec: string, field: NumberField, where: string): number[] {
  const parts = spec.split(':');
  const [scale, a, b, count] = parts;
  if (parts.length !== 4 || !NUMBER.test(a) || !NUMBER.test(b) || !/^\d+$/.test(count)) {
    throw new SweepInputError(`axis ${where}: "${shorten(spec)}" is not ${scale}:FROM:TO:COUNT (e.g. ${scale}:1:100:5)`);
  }
  const [from, to, n] = [Number(a), Number(b), Number(count)];
  if (n < 1 || n > MAX_AXIS_VALUES) throw new SweepInputError(`axis ${where}: ${scale}: COUNT must be 1 to ${MAX_AXIS_VALUES} (got ${count})`);
  if (scale === 'log' && !(from > 0 && to > 0)) throw new SweepInputError(`axis ${where}: log: FROM and TO must be above 0 (got ${a} and ${b})`);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0 : i / (n - 1);
    const raw = i === 0 ? from : i === n - 1 ? to : scale === 'lin' ? from + (to - from) * t : Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * t);
    const value = field.integer ? Math.round(raw) : Number(raw.toPrecision(6));
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

/** Resolves a typed axis against the base config it sweeps; throws SweepInputError naming what cannot be read. */
export function resolveAxis(base: ExperimentConfig, spec: AxisSpec): Axis {
  const path = spec.path;
  if (!PATH.test(path)) throw new SweepInputError(`axis "${shorten(path)}": not a dotted config path such as data.supervisorSize or student.model.head`);
  const segments = path.split('.');
  if (path === 'seed') throw new SweepInputError('axis seed: seeds are not an axis; give them as seeds (--seeds 1-5)');
  const found = fieldOfConfig(base, segments);
  if (!found.ok) throw new SweepInputError(`axis ${path}: not a setting of this ${base.kind} experiment: ${found.problem}`);
  const parentPath = segments.slice(0, -1);
  const last = segments[segments.length - 1];
  const parent = parentPath.length ? fieldOfConfig(base, parentPath) : null;
  const leaf = leafOf(found.inner);

  let kind: AxisKind;
  let union: z.ZodDiscriminatedUnion | null = null;
  let at = parentPath;
  if (found.inner instanceof z.ZodDiscriminatedUnion) {
    [kind, union, at] = ['variant', found.inner, segments];
  } else if (last === 'type' && parent?.ok && parent.inner instanceof z.ZodDiscriminatedUnion) {
    [kind, union] = ['variant', parent.inner];
  } else if (leaf) {
    kind = leaf.kind === 'enum' ? 'enum' : leaf.integer ? 'integer' : 'number';
  } else {
    throw new SweepInputError(`axis ${path}: only numbers, choices and variants (a model, a loss) can be swept; ${path} is none of them`);
  }

  const text = spec.values.trim();
  if (text === '') throw new SweepInputError(`axis ${path}: no values (give them as ${path}=A,B,C or ${path}=lin:FROM:TO:COUNT)`);
  const generated = /^(lin|log):/.test(text);
  let values: AxisValue[];
  if (generated) {
    if (leaf?.kind !== 'number') throw new SweepInputError(`axis ${path}: ${text.slice(0, 3)}: generates numbers, and ${path} is not a number`);
    values = generate(text, leaf, path).map((value) => ({
      label: String(value),
      at,
      patch: { [last]: value },
      replace: false,
      problem: numberProblem(value, leaf, path),
    }));
  } else {
    const items = text.split(',').map((item) => item.trim());
    if (items.length > MAX_AXIS_VALUES) throw new SweepInputError(`axis ${path}: more than ${MAX_AXIS_VALUES} values`);
    if (items.some((item) => item === '')) throw new SweepInputError(`axis ${path}: an empty value in "${shorten(text)}"`);
    values = items.map((item): AxisValue => {
      if (leaf?.kind === 'number' && kind !== 'variant') {
        const { value, problem } = numberValue(item, leaf, path);
        return { label: String(value), at, patch: { [last]: value }, replace: false, problem };
      }
      const [head, ...rest] = item.split(':').map((part) => part.trim());
      if (union) {
        const options = union.options as z.ZodObject[];
        const option = options.find((o) => (o.shape.type as z.ZodLiteral).value === head);
        if (!option) {
          const types = options.map((o) => String((o.shape.type as z.ZodLiteral).value));
          throw new SweepInputError(`axis ${path}: "${shorten(head)}" is not one of its types (${types.join(', ')})`);
        }
        const own = assignments(rest, option.shape as Record<string, z.ZodType>, 'type', { axis: path, object: at.join('.') }, item);
        const baseType = (fieldOfConfig(base, at) as { value?: { type?: unknown } }).value?.type;
        return { label: item, at, patch: { type: head, ...own.patch }, replace: baseType !== head, problem: own.problem };
      }
      const options = (leaf as EnumField).options;
      if (!options.includes(head)) throw new SweepInputError(`axis ${path}: "${shorten(head)}" is not one of ${options.join(', ')}`);
      const container = parent?.ok ? unwrapped(parent.inner) : null;
      const shape = container instanceof z.ZodDiscriminatedUnion ? variantShape(container, parent) : container instanceof z.ZodObject ? container.shape : null;
      if (rest.length && !shape) throw new SweepInputError(`axis ${path}: "${shorten(item)}": nothing beside ${last} to set`);
      const own = rest.length
        ? assignments(rest, shape as Record<string, z.ZodType>, last, { axis: path, object: parentPath.join('.') }, item)
        : { patch: {}, problem: null };
      return { label: item, at, patch: { [last]: head, ...own.patch }, replace: false, problem: own.problem };
    });
  }
  const labels = values.map((v) => v.label);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) throw new SweepInputError(`axis ${path}: the value ${shorten(repeated)} is given twice`);
  return { path, kind, values };
}

/** The fields of the variant a config holds at a union (the pretrained student's encoder, mode, head, headWidth). */
function variantShape(union: z.ZodDiscriminatedUnion, parent: ReturnType<typeof fieldOfConfig> | null): Record<string, z.ZodType> | null {
  const type = parent?.ok ? (parent.value as { type?: unknown } | undefined)?.type : undefined;
  const option = (union.options as z.ZodObject[]).find((o) => (o.shape.type as z.ZodLiteral).value === type);
  return option ? (option.shape as Record<string, z.ZodType>) : null;
}

/**
 * Config paths an axis writes: a variant axis its whole object (another axis writing inside it could land in a
 * variant without that field), other axes their fields.
 */
export function writtenPaths(axis: Axis): string[] {
  return [...new Set(axis.values.flatMap((v) => (axis.kind === 'variant' ? [v.at.join('.')] : Object.keys(v.patch).map((key) => [...v.at, key].join('.')))))];
}

/** The base config with the values written in (a candidate: the planner validates it). */
export function applyAxisValues(base: ExperimentConfig, values: readonly AxisValue[]): Record<string, unknown> {
  const candidate = structuredClone(base) as Record<string, unknown>;
  for (const value of values) {
    let node: Record<string, unknown> = candidate;
    for (const key of value.at.slice(0, -1)) node = node[key] as Record<string, unknown>;
    if (value.at.length === 0) {
      Object.assign(candidate, value.patch);
      continue;
    }
    const key = value.at[value.at.length - 1];
    node[key] = value.replace ? { ...value.patch } : { ...(node[key] as object), ...value.patch };
  }
  return candidate;
}
