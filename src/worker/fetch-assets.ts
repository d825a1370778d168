/** The worker's AssetSource: the site's own files, fetched relative to the page's base URL. */
import type { AssetSource } from '../core/assets';

export function fetchAssetSource(baseUrl: string): AssetSource {
  const get = async (path: string): Promise<Response> => {
    const url = new URL(path, baseUrl);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new Error(`could not load ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
    return response;
  };
  return {
    json: async (path) => (await get(path)).json(),
    binary: async (path) => (await get(path)).arrayBuffer(),
  };
}

/** Files a worker has loaded, by address: a worker reused from cell to cell loads each dataset once. A failed load is forgotten (tried again next time). */
const loaded = new Map<string, Promise<unknown>>();

/**
 * The worker's AssetSource, each file fetched once per worker. Binary files are kept and handed out as copies (a run may
 * transfer or detach what it is given); JSON is parsed again from the kept text for the same reason.
 */
export function cachedAssetSource(baseUrl: string, source: AssetSource = fetchAssetSource(baseUrl)): AssetSource {
  const once = <T>(kind: string, path: string, load: () => Promise<T>): Promise<T> => {
    const key = `${kind} ${new URL(path, baseUrl).href}`;
    let promise = loaded.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = load();
      loaded.set(key, promise);
      promise.catch(() => loaded.delete(key));
    }
    return promise;
  };
  return {
    json: async (path) => JSON.parse(await once('json', path, async () => JSON.stringify(await source.json(path)))) as unknown,
    binary: async (path) => (await once('binary', path, () => source.binary(path))).slice(0),
  };
}
