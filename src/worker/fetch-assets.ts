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
