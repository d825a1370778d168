/**
 * What the language experiments' schemas are made of: the character model, its role, the corpus section and the
 * prompt the models continue. No tfjs: the page reads it.
 */
import { z } from 'zod';
import { int, num, TrainSpecSchema } from '../config/blocks';
import { CORPUS_IDS } from '../config/datasets';

/** Characters of context every language model reads (the shipped teacher's, which the students share). */
export const LANGUAGE_CONTEXT = 32;

/** A character-level MLP language model: an embedding of each of the context's characters, concatenated, then dense layers. */
export const CharModelSchema = z.object({
  embedding: int(2, 64, 8, 'Size of each character embedding.'),
  width: int(8, 512, 64, 'Units in each hidden layer.'),
  depth: int(1, 3, 1, 'Number of hidden layers (ReLU).'),
});
export type CharModelSpec = z.infer<typeof CharModelSchema>;

/** Parameters of a character model over `vocab` characters. */
export function charModelParameters(spec: CharModelSpec, vocab: number, context = LANGUAGE_CONTEXT): number {
  const sizes = [context * spec.embedding, ...Array<number>(spec.depth).fill(spec.width), vocab];
  return vocab * spec.embedding + sizes.slice(1).reduce((sum, size, i) => sum + sizes[i] * size + size, 0);
}

/** A language model and how it trains. */
export const charRole = (model: Partial<CharModelSpec>, train: Partial<z.input<typeof TrainSpecSchema>>) =>
  z.object({ model: CharModelSchema.prefault(model), train: TrainSpecSchema.prefault(train) }).prefault({});

/** The corpus section every language experiment has (the shared checks read dataset and testSize). */
export const CORPUS_FIELDS = {
  dataset: z.enum(CORPUS_IDS).default('austen').describe("The text: its students' part, held-out part and alphabet."),
  testSize: int(100, 50000, 10000, "Held-out characters (from the held-out novel) on which every model's bits per character are measured."),
};

/** The longest prompt a config keeps; longer text in a link or file is replaced by the default, with a notice. */
export const MAX_PROMPT_LENGTH = 2000;

/** What the models write at each measurement: a continuation of the visitor's prompt, from the same seed for every model. */
export const samplingSchema = () =>
  z
    .object({
      prompt: z
        .string()
        .max(MAX_PROMPT_LENGTH)
        .default('Emma Woodhouse, handsome, clever')
        .describe('The text every model continues (characters the models have never seen are left out; only the last 32 are read).'),
      length: int(10, 400, 160, 'Characters each model writes after the prompt at each measurement.'),
      temperature: num(0.1, 2, 0.8, "Sampling temperature of the writing (the surprise marks use the model's own probabilities)."),
    })
    .prefault({});
