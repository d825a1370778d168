// Parser for the IDX format used by MNIST and Fashion-MNIST
// (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS FOR THE MNIST DATABASE").
//
// Header, all big-endian: two zero bytes, a type code (0x08 = unsigned byte),
// the number of dimensions, then one uint32 per dimension. The data follows,
// row-major. MNIST images are therefore magic 0x00000803 (2051) and labels
// 0x00000801 (2049).

const UBYTE = 0x08;

export interface IdxArray {
  dims: number[];
  /** View into the input buffer (no copy). */
  data: Uint8Array;
}

/**
 * Parse an unsigned-byte IDX file with `expectedRank` dimensions.
 * `name` is only used in error messages.
 */
export function parseIdxUbyte(bytes: Uint8Array, expectedRank: number, name: string): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4) throw new Error(`${name}: too short for an IDX header`);

  const magic = view.getUint32(0, false);
  const expectedMagic = (UBYTE << 8) | expectedRank;
  if (magic !== expectedMagic) {
    throw new Error(
      `${name}: bad IDX magic 0x${hex8(magic)}, expected 0x${hex8(expectedMagic)} ` +
        `(unsigned byte, ${expectedRank} dimension${expectedRank === 1 ? '' : 's'})`,
    );
  }

  const headerLength = 4 + 4 * expectedRank;
  if (bytes.byteLength < headerLength) throw new Error(`${name}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < expectedRank; i++) dims.push(view.getUint32(4 + 4 * i, false));

  const dataLength = dims.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== headerLength + dataLength) {
    throw new Error(`${name}: IDX dims [${dims.join(', ')}] need ${headerLength + dataLength} bytes, file has ${bytes.byteLength}`);
  }
  return { dims, data: bytes.subarray(headerLength) };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
