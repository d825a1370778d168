/**
 * Plain words for the page's jargon: shown on hover or focus wherever a term appears (field labels, card titles,
 * the lesson line, panel help, the backend badge). Keys are lower case.
 */
const GLOSSARY: Record<string, string> = {
  pgr: 'Performance gap recovered: (student − weak supervisor) / (ceiling − weak supervisor), in test accuracy. 1: the student does as well as if it had been given the true labels; 0: no better than its supervisor; below 0: worse.',
  'gap closed':
    'The share of the way from the student alone to the teacher that distillation takes the student: (distilled − student alone) / (teacher − student alone).',
  'weak supervisor': 'A small or badly trained model (or a labelling rule with known errors) whose labels are all the student gets.',
  'strong ceiling': 'The strong student trained on the true labels instead of the weak ones: the best it could do.',
  ceiling: 'The strong student trained on the true labels instead of the weak ones: the best it could do.',
  'split a': "The labelled examples the weak supervisor learns from (with their true labels); 'supervisor size' sets how many.",
  'split b': 'The transfer set: examples the weak supervisor labels for the student. The ceiling sees their true labels instead.',
  'supervisor size': 'How many labelled examples the weak supervisor learns from (split A).',
  'transfer size': 'How many examples the weak supervisor labels for the student (split B): the student learns only from these labels.',
  'validation size': 'Examples set aside to choose the best checkpoint, labelled by the supervisor for the student, never with the truth.',
  'validation split': 'Examples set aside to choose the best checkpoint, labelled by the supervisor for the student, never with the truth.',
  'weak labels': "soft: the supervisor's probabilities for every class; hard: only its most likely class.",
  'label temperature': "Soft labels are the supervisor's probabilities at this temperature: below 1 sharpens them (it sounds surer), above 1 softens them.",
  xent: 'Cross-entropy: the student learns the labels as they are given.',
  logconf:
    "The auxiliary confidence loss (Burns et al.): the target mixes the supervisor's label with the student's own hardened prediction, so the student may disagree with a supervisor it finds wrong.",
  product: "The product loss: the target is proportional to the student's prediction times the supervisor's label.",
  head: 'The small network (a probe) on top of a pretrained encoder that turns its features into class scores.',
  probe: "A small model trained on another model's features to read what they contain; a linear probe is a single layer.",
  frozen: "The pretrained encoder's weights stay as they are; only the head on top trains.",
  finetune: 'The pretrained encoder trains too, along with the head.',
  encoder: 'A network pretrained on other images that turns a digit into 64 features; the student builds on it.',
  'software fallback': 'A WebGPU adapter that runs on the processor, not a real graphics card: far slower than wasm here, so the automatic choice is wasm.',
  beats: "The student gets right an example its supervisor got wrong: it corrected the supervisor's mistake.",
  copies: 'The student makes the very same mistake as its supervisor on an example.',
  'beat rate': "The share of the supervisor's mistakes that the student gets right.",
  'copy rate': "The share of the supervisor's mistakes that the student repeats exactly.",
  distillation: "Training a student on a teacher's predicted probabilities (soft labels) instead of, or as well as, the true labels.",
  'forward kl': "KL(teacher ‖ student), Hinton's distillation loss: the student spreads its probability over everything the teacher finds likely.",
  'reverse kl': "KL(student ‖ teacher): the student concentrates on the teacher's most likely class (mode-seeking).",
  taid: "Temporally adaptive interpolated distillation: the target starts near the student's own predictions and moves to the teacher's as training goes.",
  oracle:
    'In teacher hacking: the true probabilities the teacher only approximates. For checkpoints: the best test accuracy of any checkpoint, which no one could choose without the test labels.',
  proxy: 'How far the student is from its teacher: what distillation minimises.',
  golden: 'How far the student is from the truth (the oracle): what we actually care about.',
  checkpoint: "The model's weights at one measurement during training; the best one is chosen on the validation split.",
  epoch: 'One pass through the training data.',
};

/** What a menu's value means, where the word alone is jargon (explained under the menu, not in running text). */
const VALUES: Record<string, string> = {
  soft: "the student learns the supervisor's probabilities for every class",
  hard: "the student learns only the supervisor's most likely class",
  frozen: "the pretrained encoder's weights stay as they are; only the head on top trains",
  finetune: 'the pretrained encoder trains too, along with the head',
};

/** The definition of a term (or of a menu's value), if the glossary has it. */
export function define(term: string): string | undefined {
  const key = term.trim().toLowerCase();
  return GLOSSARY[key] ?? VALUES[key];
}

/** Glossary terms, longest first (so "strong ceiling" wins over "ceiling"). */
const TERMS = Object.keys(GLOSSARY).sort((a, b) => b.length - a.length);
const PATTERN = new RegExp(`\\b(${TERMS.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'i');

/** A text cut around the first occurrence of each glossary term: [plain, term, plain, term, ...]. */
export function splitTerms(text: string): { text: string; term?: string }[] {
  const parts: { text: string; term?: string }[] = [];
  const seen = new Set<string>();
  let rest = text;
  for (;;) {
    const match = PATTERN.exec(rest);
    if (!match) break;
    const key = match[1].toLowerCase();
    const before = rest.slice(0, match.index);
    if (seen.has(key)) {
      parts.push({ text: before + match[1] });
    } else {
      seen.add(key);
      if (before) parts.push({ text: before });
      parts.push({ text: match[1], term: key });
    }
    rest = rest.slice(match.index + match[1].length);
  }
  if (rest) parts.push({ text: rest });
  return parts;
}
