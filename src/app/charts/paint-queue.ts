/**
 * Canvas painting spread over animation frames. When the student starts, every live chart and the gallery's
 * 48 thumbnails want painting at once: done in one go that is 30-50 ms on a small machine, three dropped frames.
 * Queued here, each frame paints for at most PAINT_BUDGET_MS and leaves the rest to the next.
 */
const PAINT_BUDGET_MS = 6;

type Paint = () => void;

// One job per target (a newer paint of the same canvas replaces the queued one, keeping its place).
const queue = new Map<object, Paint>();
let frame: number | null = null;

function paintFrame(): void {
  frame = null;
  const started = performance.now();
  for (const [target, paint] of queue) {
    queue.delete(target);
    paint();
    if (performance.now() - started >= PAINT_BUDGET_MS) break;
  }
  if (queue.size > 0) frame = requestAnimationFrame(paintFrame);
}

/** Paints `target` in an upcoming frame (the next one unless this frame's budget is spent). */
export function paintSoon(target: object, paint: Paint): void {
  queue.set(target, paint);
  if (frame === null) frame = requestAnimationFrame(paintFrame);
}

/** Drops a queued paint (the canvas is going away). */
export function cancelPaint(target: object): void {
  queue.delete(target);
}
