/** Points drawn per curve at most: drawing cost grows with points, and a chart 500 px wide shows no more. */
export const MAX_POINTS_PER_CURVE = 120;

/** Every k-th point (and always the last), so long runs draw as fast as short ones. */
export function thin<T>(points: T[], max = MAX_POINTS_PER_CURVE): T[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % stride === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]);
  return kept;
}
