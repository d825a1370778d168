/**
 * What an experiment kind declares about itself, apart from its tfjs runner: its schema and defaults, its stages
 * and their roles, the models it trains (for memory limits and benchmarks), its own cross-field checks, its form,
 * its gallery section and its presets. One `<kind>/spec.ts` per kind fills this in; `kinds.ts` lists them.
 * No tfjs here: the page reads it.
 */
import type { z } from 'zod';
import type { ModelUse } from '../config/limits';
import type { DatasetInfo } from '../config/datasets';
import type { StageInfo } from './figures';
import type { Caption, RunFacts } from './narration';

export type { ModelUse };

/**
 * Which stage plays which part. The gap ratio is (student - lower) / (upper - lower): PGR for weak-to-strong, the
 * share of the gap to the teacher that distillation closes for distillation. The beat/copy matrix compares
 * `student` (or any of `students`, the page offers a choice) with `supervisor`.
 */
export interface StageRoles {
  supervisor: string;
  student: string;
  lower: string;
  upper: string;
  /** Name of the gap ratio; null where the experiment has none. */
  gapName: string | null;
  /** Students compared side by side; `student` is the one shown first. */
  students?: readonly string[];
}

/** The gallery's sections, in the order the gallery shows them. */
export const GALLERY_SECTIONS = [
  'Weak-to-strong generalization',
  'Knowledge distillation',
  'Weak supervision',
  'Updating and teaching models',
  'Safety',
  'Language models',
] as const;
export type GallerySection = (typeof GALLERY_SECTIONS)[number];

/** A paper a preset reproduces or illustrates, linked from the page. */
export interface Paper {
  /** How the page cites it: "Burns et al. 2023". */
  cite: string;
  title: string;
  url: string;
}

/** The papers the presets cite, each written once. */
export const PAPERS = {
  burns: {
    cite: 'Burns et al. 2023',
    title: 'Weak-to-Strong Generalization: Eliciting Strong Capabilities With Weak Supervision',
    url: 'https://arxiv.org/abs/2312.09390',
  },
  hinton: { cite: 'Hinton, Vinyals and Dean 2015', title: 'Distilling the Knowledge in a Neural Network', url: 'https://arxiv.org/abs/1503.02531' },
  taid: {
    cite: 'Shing et al. 2025',
    title: 'TAID: Temporally Adaptive Interpolated Distillation for Efficient Knowledge Transfer in Language Models',
    url: 'https://arxiv.org/abs/2501.16937',
  },
  minillm: { cite: 'Gu et al. 2023', title: 'MiniLLM: Knowledge Distillation of Large Language Models (reverse KL)', url: 'https://arxiv.org/abs/2306.08543' },
  randomTeachers: { cite: 'Sarnthein et al. 2023', title: 'Random Teachers are Good Teachers', url: 'https://arxiv.org/abs/2302.12091' },
  teacherHacking: { cite: 'Tiapkin et al. 2025', title: 'On Teacher Hacking in Language Model Distillation', url: 'https://arxiv.org/abs/2502.02671' },
} as const satisfies Record<string, Paper>;

export interface Preset<Input = unknown, Config = unknown> {
  id: string;
  title: string;
  /** The one line a visitor should take away. */
  lesson: string;
  /** Captions a lecturer steps through while the run plays, bound to the run's numbers (see narration.ts). */
  narrative: readonly Caption<Config>[];
  config: Input;
  /** The papers it reproduces or illustrates. */
  papers?: readonly Paper[];
  /** Shown in the page's header as well as in the gallery. */
  featured?: boolean;
}

/** One control of the form: a field by its config path, drawn from the schema. */
export interface FormField {
  path: string[];
  label?: string;
  /** slider: a number input with a slider; list: numbers typed as "1, 2, 4"; train: a whole TrainSpec. */
  control?: 'slider' | 'list' | 'train';
}

/** A card of the form, below the data section. */
export type FormCard =
  /** A role: its model (a variant), its training settings and optionally its loss. */
  | {
      type: 'role';
      role: string;
      title: string;
      blurb: string;
      loss?: boolean;
      model?: boolean;
      train?: boolean;
      /** The role's labels may come from a rule instead of a model (`<role>.source`): the model and training show only for `trained`. */
      source?: { label: string; blurbWithoutModel: string };
    }
  /** Every field of an object at `path`. */
  | { type: 'settings'; path: string[]; title: string; blurb?: string }
  /** Chosen fields under one heading. */
  | { type: 'fields'; id: string; title: string; blurb?: string; fields: FormField[] }
  /** A list of roles (a chain of models) with add and remove; `blurbs` says what the first link and each later one (1-based) do. */
  | { type: 'chain'; path: string; max: number; blurbs: { first: string; next: (link: number) => string } };

export interface FormLayout {
  /** Fields shown in the data section beside dataset, sizes and seed. */
  dataExtras?: FormField[];
  cards: FormCard[];
}

/**
 * How the page shows a kind's run. Language models are measured by held-out bits per character (lower is better),
 * not accuracy, and what they write replaces the beat/copy matrix and the examples.
 */
export interface KindView {
  /** What each model's card and the first training curve show. */
  metric: 'accuracy' | 'bitsPerCharacter';
  /** The per-example panels: the beat/copy matrix with its examples, or the language lab (prompt and writing side by side). */
  detail: 'matrix' | 'language';
}

export const DEFAULT_VIEW: KindView = { metric: 'accuracy', detail: 'matrix' };

export type IssueSink = (path: PropertyKey[], message: string) => void;

export interface KindSpec<Kind extends string = string, Schema extends z.ZodType = z.ZodType> {
  kind: Kind;
  /** The kind's config schema: a z.object whose `kind` is the literal `kind`. */
  schema: Schema;
  /** What the kind does, in a sentence or two for the form's help. */
  help: string;
  /** The stages its runner announces for a config, in the order they train. */
  stages(config: z.output<Schema>): StageInfo[];
  roles: StageRoles;
  /** Every model the kind trains or evaluates (memory limits, benchmark cases). */
  models(config: z.output<Schema>, data: DatasetInfo): ModelUse[];
  /** Training rows the kind draws from its dataset, and how the page names the sum. */
  rowsNeeded(config: z.output<Schema>): { needed: number; parts: string };
  /** Cross-field checks of this kind only (the shared ones live in config/schema.ts). */
  check?(config: z.output<Schema>, data: DatasetInfo, issue: IssueSink): void;
  /**
   * Makes the kind's own settings fit other data (the visitor's file: fewer classes, other features) so that its
   * checks pass: changes `config` in place and says each change in words. Split sizes and models are fitted for
   * every kind by data/custom.ts.
   */
  fitToData?(config: z.output<Schema>, data: DatasetInfo): string[];
  /** One line under the run's lesson plot, written from the measured numbers; null while they are not measured. */
  takeaway?(facts: RunFacts<z.output<Schema>>): string | null;
  gallery: GallerySection;
  /** How the page shows its runs (DEFAULT_VIEW when absent). */
  view?: KindView;
  form: FormLayout;
  presets: readonly Preset<z.input<Schema>, z.output<Schema>>[];
}

/** Declares a kind; the type parameters give its presets the schema's input type. */
export function defineKind<const Kind extends string, Schema extends z.ZodType>(spec: KindSpec<Kind, Schema>): KindSpec<Kind, Schema> {
  return spec;
}

/** A role's model, trained by the role's own training settings, with one output per class. */
export function roleModel(config: Record<string, unknown>, role: string | string[], data: DatasetInfo): ModelUse {
  const path = typeof role === 'string' ? [role] : role;
  const at = path.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, config);
  return { path: [...path, 'model'], model: at.model as ModelUse['model'], trainPath: [...path, 'train'], outputs: data.numClasses };
}
