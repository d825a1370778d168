/** Reads what a form needs (kind of control, range, options, help) from the config schema itself. */
import { z } from 'zod';
import { schemaAt } from '../core/config/introspect';
import type { ExperimentKind } from '../core/experiments/kinds';

export type FieldSpec =
  | { kind: 'number'; min: number; max: number; integer: boolean; help: string }
  | { kind: 'enum'; options: string[]; help: string }
  | { kind: 'variant'; options: { type: string; help: string }[]; help: string }
  | { kind: 'literal'; value: unknown; help: string }
  | { kind: 'unsupported'; help: string };

export function fieldSpec(kind: ExperimentKind, path: (string | number)[]): FieldSpec {
  const found = schemaAt(kind, path);
  if (!found) return { kind: 'unsupported', help: '' };
  return describe(found.field, found.inner);
}

export function describe(field: z.ZodType, inner: z.ZodType): FieldSpec {
  const help = field.description ?? inner.description ?? '';
  if (inner instanceof z.ZodNumber) {
    return { kind: 'number', min: inner.minValue ?? -Infinity, max: inner.maxValue ?? Infinity, integer: inner.isInt, help };
  }
  if (inner instanceof z.ZodEnum) return { kind: 'enum', options: inner.options.map(String), help };
  if (inner instanceof z.ZodLiteral) return { kind: 'literal', value: inner.value, help };
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const options = (inner.options as z.ZodObject[]).map((option) => {
      const type = option.shape.type as z.ZodLiteral;
      return { type: String(type.value), help: type.description ?? '' };
    });
    return { kind: 'variant', options, help };
  }
  return { kind: 'unsupported', help };
}

/** The fields (other than `type`) of one option of a discriminated union at `path`. */
export function variantFields(kind: ExperimentKind, path: (string | number)[], type: string): { key: string; spec: FieldSpec }[] {
  const found = schemaAt(kind, path);
  if (!found || !(found.inner instanceof z.ZodDiscriminatedUnion)) return [];
  const option = (found.inner.options as z.ZodObject[]).find((o) => String((o.shape.type as z.ZodLiteral).value) === type);
  if (!option) return [];
  return Object.entries(option.shape as Record<string, z.ZodType>)
    .filter(([key]) => key !== 'type')
    .map(([key, field]) => {
      let inner: z.ZodType = field;
      while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
      return { key, spec: describe(field, inner) };
    });
}

/** Readable label for a config key: "learningRate" -> "learning rate". */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return LABELS[key] ?? words;
}

const LABELS: Record<string, string> = {
  aMax: 'a max',
  alphaT: 'alpha (t step)',
  tStart: 't start',
  tEnd: 't end',
  evalEvery: 'measure every (steps)',
  patience: 'early-stop patience',
  headWidth: 'probe width',
  denseWidth: 'dense width',
};
