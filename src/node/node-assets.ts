/** An AssetSource that reads the site's shipped files from public/ on disk (CLI, scripts, unit tests). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { AssetSource } from '../core/assets';

export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

export function nodeAssetSource(root = PUBLIC_DIR): AssetSource {
  return {
    async json(file) {
      return JSON.parse(await readFile(path.join(root, file), 'utf8'));
    },
    async binary(file) {
      const bytes = await readFile(path.join(root, file));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}
