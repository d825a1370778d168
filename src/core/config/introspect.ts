/** Reads the schema itself for forms and messages: one field's schema by path, a numeric field's range. */
import { z } from 'zod';
import { type ExperimentKind } from '../experiments/kinds';
import { KIND_SCHEMAS } from './schema';

/** A schema without its default, prefault or optional wrapper. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    const def = (current as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
    if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional') && def.innerType) current = def.innerType;
    else return current;
  }
}

/**
 * The schema of one field of a config of the given kind, for forms: `field` as declared (it carries the help
 * text), `inner` with defaults unwrapped (it carries ranges and options).
 */
export function schemaAt(kind: ExperimentKind, path: PropertyKey[]): { field: z.ZodType; inner: z.ZodType } | null {
  let current: z.ZodType | undefined = (KIND_SCHEMAS as readonly z.ZodObject[]).find((schema) => (schema.shape.kind as z.ZodLiteral).value === kind);
  if (!current) return null;
  for (const key of path) {
    const container = unwrap(current);
    if (container instanceof z.ZodObject) current = (container.shape as Record<string, z.ZodType>)[String(key)];
    else if (container instanceof z.ZodArray && /^\d+$/.test(String(key))) current = container.element as z.ZodType;
    else return null;
    if (!current) return null;
  }
  return { field: current, inner: unwrap(current) };
}

/** Looks up a numeric field's [min, max] by path, for messages and forms (the first kind that has the field). */
export function numericRange(path: PropertyKey[]): [number, number] | null {
  for (const root of KIND_SCHEMAS as readonly z.ZodType[]) {
    const found = walk(root, path);
    if (found) return found;
  }
  return null;
}

function walk(schema: z.ZodType, path: PropertyKey[]): [number, number] | null {
  const current = unwrap(schema);
  if (path.length === 0) {
    return current instanceof z.ZodNumber && current.minValue !== null && current.maxValue !== null ? [current.minValue, current.maxValue] : null;
  }
  if (current instanceof z.ZodDiscriminatedUnion) {
    // The first option that has the field wins (options share ranges for fields of the same name).
    for (const option of current.options as z.ZodType[]) {
      const found = walk(option, path);
      if (found) return found;
    }
    return null;
  }
  if (current instanceof z.ZodObject) {
    const next = (current.shape as Record<string, z.ZodType>)[String(path[0])];
    return next ? walk(next, path.slice(1)) : null;
  }
  if (current instanceof z.ZodArray && /^\d+$/.test(String(path[0]))) return walk(current.element as z.ZodType, path.slice(1));
  return null;
}

/** Where a path through a config leads in its schema, following the config's own variants; or why it leads nowhere. */
export type FieldOfConfig = { ok: true; field: z.ZodType; inner: z.ZodType; value: unknown } | { ok: false; problem: string };

/**
 * The schema of the field at `path` in `config`, choosing each variant by the config's own `type`: in w2s-mnist
 * `student.model.head` exists (the student is pretrained) and `student.model.width` does not. Only own keys of a
 * schema count, so `__proto__` or `constructor` is never a field.
 */
export function fieldOfConfig(config: { kind: ExperimentKind }, path: readonly string[]): FieldOfConfig {
  let current: z.ZodType | undefined = (KIND_SCHEMAS as readonly z.ZodObject[]).find((schema) => (schema.shape.kind as z.ZodLiteral).value === config.kind);
  if (!current) return { ok: false, problem: `unknown experiment kind "${config.kind}"` };
  let value: unknown = config;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth];
    const where = depth === 0 ? 'the config' : path.slice(0, depth).join('.');
    let container = unwrap(current);
    if (container instanceof z.ZodDiscriminatedUnion) {
      const type = (value as { type?: unknown } | undefined)?.type;
      const option = (container.options as z.ZodObject[]).find((o) => (o.shape.type as z.ZodLiteral).value === type);
      if (!option) return { ok: false, problem: `${where} has no type the schema knows` };
      container = option;
    }
    if (container instanceof z.ZodObject) {
      const shape = container.shape as Record<string, z.ZodType>;
      if (!Object.hasOwn(shape, key)) {
        const variant = typeof (value as { type?: unknown })?.type === 'string' ? ` while its type is "${(value as { type: string }).type}"` : '';
        return { ok: false, problem: `${where} has no field "${key}"${variant} (its fields: ${Object.keys(shape).join(', ')})` };
      }
      current = shape[key];
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    } else if (container instanceof z.ZodArray && Array.isArray(value) && /^\d+$/.test(key) && Number(key) < value.length) {
      current = container.element as z.ZodType;
      value = value[Number(key)];
    } else {
      return {
        ok: false,
        problem: Array.isArray(value) ? `${where} has ${value.length} entries, numbered from 0; "${key}" is not one of them` : `${where} has no field "${key}"`,
      };
    }
  }
  return { ok: true, field: current, inner: unwrap(current), value };
}

/** A setting a sweep can vary: a number, a choice, or a variant (a model, a loss: its types). */
export interface SweepableField {
  /** Dotted path, as a sweep axis names it: "data.supervisorSize", "student.model.head". */
  path: string;
  kind: 'number' | 'integer' | 'enum' | 'variant';
  /** The schema's help text. */
  description: string;
  /** Numbers: their range. */
  range?: [number, number];
  /** Choices: the allowed values; variants: their types. */
  options?: string[];
  /** The config's own value, as an axis would write it. */
  current: string;
}

/** Paths never offered: the kind is the experiment itself, seeds are their own control. */
const NOT_AXES = new Set(['kind', 'seed']);

/**
 * Every number, choice and variant of this config, in the schema's order, following the config's own variants (a
 * pretrained student offers its head, not an MLP's width). Arrays are not entered.
 */
export function sweepableFields(config: { kind: ExperimentKind }): SweepableField[] {
  const fields: SweepableField[] = [];
  const visit = (path: string[], value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const key of Object.keys(value)) {
      const at = [...path, key];
      if (path.length === 0 && NOT_AXES.has(key)) continue;
      const found = fieldOfConfig(config, at);
      if (!found.ok) continue;
      const inner = found.inner;
      const description = found.field.description ?? inner.description ?? '';
      const own = (value as Record<string, unknown>)[key];
      if (inner instanceof z.ZodNumber) {
        const range: [number, number] = [inner.minValue ?? -Infinity, inner.maxValue ?? Infinity];
        fields.push({ path: at.join('.'), kind: inner.isInt ? 'integer' : 'number', description, range, current: String(own) });
      } else if (inner instanceof z.ZodEnum) {
        fields.push({ path: at.join('.'), kind: 'enum', description, options: inner.options.map(String), current: String(own) });
      } else if (inner instanceof z.ZodDiscriminatedUnion) {
        const options = (inner.options as z.ZodObject[]).map((o) => String((o.shape.type as z.ZodLiteral).value));
        fields.push({ path: at.join('.'), kind: 'variant', description, options, current: String((own as { type?: unknown } | undefined)?.type) });
        visit(at, own);
      } else if (inner instanceof z.ZodObject) {
        visit(at, own);
      }
    }
  };
  visit([], config);
  return fields;
}
