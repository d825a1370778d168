/**
 * Where the engine reads its shipped files (datasets, encoder weights) from. The worker passes a fetch-based
 * source rooted at the site's base URL, Node passes one that reads public/ from disk; the core never knows which.
 */
export interface AssetSource {
  /** Reads a JSON file, path relative to the site root (e.g. "datasets/mnist.json"). */
  json(path: string): Promise<unknown>;
  /** Reads a binary file, path relative to the site root. */
  binary(path: string): Promise<ArrayBuffer>;
}
