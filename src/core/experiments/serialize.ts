/** Results as JSON: typed arrays become plain arrays (no tfjs here: the page uses it too). */
export function resultToJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v), 2)}\n`;
}
