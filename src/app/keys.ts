/**
 * The page's keyboard shortcuts (Space runs or pauses, S steps, arrows and PageUp/PageDown step through the
 * captions) must never take a key from the element that has focus: typing in a field, Space or Enter on a focused
 * button, an arrow in a menu or on a slider.
 */
const FIELDS = 'input, select, textarea, [contenteditable=""], [contenteditable="true"], [role="slider"], [role="listbox"], [role="menu"]';
const PRESSABLE = 'button, a[href], summary, [role="button"], [role="checkbox"], [role="switch"], [role="tab"], [role="link"], label';

export function keyBelongsToFocus(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return false;
  if (target.closest(FIELDS)) return true;
  return (event.key === ' ' || event.key === 'Enter') && target.closest(PRESSABLE) !== null;
}

/** Caption keys: a presentation clicker sends PageDown/PageUp (some send arrows or N/P). */
export function captionStep(key: string): 1 | -1 | 0 {
  if (key === 'ArrowRight' || key === 'PageDown' || key === 'n' || key === 'N') return 1;
  if (key === 'ArrowLeft' || key === 'PageUp' || key === 'p' || key === 'P') return -1;
  return 0;
}
