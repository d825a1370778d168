/** The preset gallery's contents: its sections in order, each with the presets of every kind that names it. */
import { GALLERY_SECTIONS, type Preset } from '../core/experiments/kind';
import { KIND_SPECS } from '../core/experiments/kinds';

export const GALLERY: { title: string; presets: readonly Preset[] }[] = GALLERY_SECTIONS.map((title) => ({
  title,
  presets: KIND_SPECS.filter((spec) => spec.gallery === title).flatMap((spec): readonly Preset[] => spec.presets),
}));
