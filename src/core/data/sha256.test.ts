/** SHA-256 without Web Crypto: the NIST vectors, node:crypto on every length around the block edges, and sha256Hex without crypto.subtle. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from './custom';
import { Sha256, toHex } from './sha256';

const hashOf = (bytes: Uint8Array) => toHex(new Sha256().update(bytes).digest());
const ascii = (text: string) => new TextEncoder().encode(text);
const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('SHA-256 in plain TypeScript', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('gives the FIPS 180-4 example digests', () => {
    expect(hashOf(ascii(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashOf(ascii('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashOf(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(hashOf(ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'))).toBe(
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    );
    expect(hashOf(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto on every length from 0 to 300 bytes (across the 55/56/64-byte edges)', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      expect(hashOf(bytes), `${n} bytes`).toBe(reference(bytes));
    }
  });

  it('gives the same digest however the bytes are split between updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.array(fc.nat(700), { maxLength: 6 }), (bytes, cuts) => {
        const hash = new Sha256();
        let start = 0;
        for (const cut of [...cuts].sort((a, b) => a - b).map((c) => Math.min(c, bytes.length))) {
          hash.update(bytes.subarray(start, Math.max(start, cut)));
          start = Math.max(start, cut);
        }
        hash.update(bytes.subarray(start));
        expect(toHex(hash.digest())).toBe(reference(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('sha256Hex works where crypto.subtle is missing (a page on plain http) or refuses to work', async () => {
    const bytes = Uint8Array.from({ length: 700_000 }, (_, i) => (i * 7919) & 0xff);
    vi.stubGlobal('crypto', {});
    expect(globalThis.crypto.subtle).toBeUndefined();
    expect(await sha256Hex(bytes)).toBe(reference(bytes));
    expect(await sha256Hex('x,y,label\n')).toBe(reference(ascii('x,y,label\n')));
    vi.stubGlobal('crypto', { subtle: { digest: () => Promise.reject(new Error('not allowed')) } });
    expect(await sha256Hex(bytes)).toBe(reference(bytes));
  });
});
