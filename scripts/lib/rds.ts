// Reads R's lazy-load databases (a package's data/Rdata.rdx index and Rdata.rdb objects), enough to take the
// character vectors out of them. Formats, from R's own sources (src/main/serialize.c, src/library/base/R/lazyload.R):
//
//   .rdx  a zlib/gzip-compressed serialisation of list(variables = list(name = c(offset, length), ...),
//         references = ..., compressed = TRUE | 2 | 3)
//   .rdb  objects at those offsets: a 4-byte big-endian uncompressed length, then (compressed = TRUE) a zlib stream
//         of the object's serialisation, or (2, 3) a type byte ('Z' zlib, '2' bzip2, 'X' xz, '0' none) first
//   serialisation (format "X\n", XDR: big-endian): version, writer and reader versions (and, in version 3, the
//         native encoding), then items: an int of flags (type in the low byte, has-attributes bit 9, has-tag bit
//         10, levels above bit 12) and the type's payload.
//
// Only the types these files use are read; anything else is an error that names it.

import { gunzipSync, inflateSync } from 'node:zlib';

export type RValue =
  | { type: 'null' }
  | { type: 'character'; value: (string | null)[]; attributes: RAttributes }
  | { type: 'integer' | 'logical'; value: (number | null)[]; attributes: RAttributes }
  | { type: 'double'; value: number[]; attributes: RAttributes }
  | { type: 'list'; value: RValue[]; attributes: RAttributes }
  | { type: 'symbol'; name: string };

export type RAttributes = Record<string, RValue>;

const NA_INTEGER = -2147483648;
const SXP = { NIL: 0, SYM: 1, LIST: 2, LGL: 10, INT: 13, REAL: 14, STR: 16, VEC: 19, CHAR: 9, REF: 255, NILVALUE: 254 } as const;

class Reader {
  private offset = 0;
  private readonly view: DataView;
  /** Symbols in the order they were first read: a REFSXP points back to one by index. */
  private readonly references: RValue[] = [];

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  int(): number {
    if (this.offset + 4 > this.bytes.length) throw new Error('R serialisation: unexpected end of data');
    const value = this.view.getInt32(this.offset, false);
    this.offset += 4;
    return value;
  }

  double(): number {
    const value = this.view.getFloat64(this.offset, false);
    this.offset += 8;
    return value;
  }

  string(length: number): string {
    if (this.offset + length > this.bytes.length) throw new Error('R serialisation: a string runs past the end of the data');
    const text = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  header(): void {
    if (this.bytes[0] !== 0x58 || this.bytes[1] !== 0x0a) throw new Error('R serialisation: not the XDR format ("X\\n")');
    this.offset = 2;
    const version = this.int();
    this.int(); // the R version that wrote it
    this.int(); // the oldest R version that reads it
    if (version === 3)
      this.string(this.int()); // native encoding
    else if (version !== 2) throw new Error(`R serialisation: version ${version} is not 2 or 3`);
  }

  item(): RValue {
    const flags = this.int();
    const type = flags & 0xff;
    const hasAttributes = (flags & (1 << 9)) !== 0;
    const hasTag = (flags & (1 << 10)) !== 0;
    switch (type) {
      case SXP.NILVALUE:
        return { type: 'null' };
      case SXP.REF:
        return this.references[(flags >> 8) - 1] ?? fail(`a reference to object ${flags >> 8}, which was never read`);
      case SXP.SYM: {
        const name = this.charsxp();
        const symbol: RValue = { type: 'symbol', name: name ?? 'NA' };
        this.references.push(symbol);
        return symbol;
      }
      case SXP.LIST:
        return this.pairlist(hasAttributes, hasTag);
      case SXP.STR: {
        const length = this.int();
        const value = Array.from({ length }, () => this.charsxp());
        return { type: 'character', value, attributes: this.attributes(hasAttributes) };
      }
      case SXP.INT:
      case SXP.LGL: {
        const length = this.int();
        const value = Array.from({ length }, () => {
          const v = this.int();
          return v === NA_INTEGER ? null : v;
        });
        return { type: type === SXP.INT ? 'integer' : 'logical', value, attributes: this.attributes(hasAttributes) };
      }
      case SXP.REAL: {
        const length = this.int();
        const value = Array.from({ length }, () => this.double());
        return { type: 'double', value, attributes: this.attributes(hasAttributes) };
      }
      case SXP.VEC: {
        const length = this.int();
        const value = Array.from({ length }, () => this.item());
        return { type: 'list', value, attributes: this.attributes(hasAttributes) };
      }
      default:
        return fail(`objects of type ${type} are not read here`);
    }
  }

  /** A CHARSXP: its own flags, a length (-1 for NA), then the bytes. */
  private charsxp(): string | null {
    const flags = this.int();
    if ((flags & 0xff) !== SXP.CHAR) fail(`expected a string (type 9), found type ${flags & 0xff}`);
    const length = this.int();
    return length === -1 ? null : this.string(length);
  }

  /** A pairlist (attributes are one): tagged values until the NILVALUE that ends it, returned as an object. */
  private pairlist(hasAttributes: boolean, hasTag: boolean): RValue {
    const entries: RValue[] = [];
    const names: (string | null)[] = [];
    let attributes = hasAttributes;
    let tagged = hasTag;
    for (;;) {
      if (attributes) this.item();
      const tag = tagged ? this.item() : null;
      names.push(tag && tag.type === 'symbol' ? tag.name : null);
      entries.push(this.item());
      const next = this.int();
      if ((next & 0xff) === SXP.NILVALUE) break;
      if ((next & 0xff) !== SXP.LIST) fail(`a pairlist continues with type ${next & 0xff}`);
      attributes = (next & (1 << 9)) !== 0;
      tagged = (next & (1 << 10)) !== 0;
    }
    return { type: 'list', value: entries, attributes: { names: { type: 'character', value: names, attributes: {} } } };
  }

  private attributes(present: boolean): RAttributes {
    if (!present) return {};
    const list = this.item();
    if (list.type !== 'list') fail('attributes are not a pairlist');
    const names = (list.attributes.names as { value: (string | null)[] }).value;
    return Object.fromEntries(list.value.map((value, i) => [names[i] ?? `#${i}`, value]));
  }
}

function fail(message: string): never {
  throw new Error(`R serialisation: ${message}`);
}

/** One serialised object. */
export function unserialize(bytes: Uint8Array): RValue {
  const reader = new Reader(bytes);
  reader.header();
  return reader.item();
}

/** The names of a vector's elements. */
export function namesOf(value: RValue): string[] {
  if (value.type === 'null' || value.type === 'symbol') return [];
  const names = value.attributes.names;
  if (!names || names.type !== 'character') return [];
  return names.value.map((name) => name ?? 'NA');
}

/**
 * The objects of a lazy-load database, by name: reads the index (`.rdx`), then each object from the `.rdb` at its
 * offset. Only zlib-compressed databases (R's default) are read.
 */
export function readLazyLoadDatabase(rdx: Uint8Array, rdb: Uint8Array): Map<string, RValue> {
  const index = unserialize(rdx[0] === 0x1f && rdx[1] === 0x8b ? new Uint8Array(gunzipSync(rdx)) : new Uint8Array(inflateSync(rdx)));
  if (index.type !== 'list') fail('the .rdx index is not a list');
  const parts = Object.fromEntries(namesOf(index).map((name, i) => [name, index.value[i]]));
  const compressed = parts.compressed;
  if (!compressed || compressed.type !== 'logical' || compressed.value[0] !== 1) {
    fail('only databases compressed with zlib (compressed = TRUE) are read');
  }
  const variables = parts.variables;
  if (!variables || variables.type !== 'list') fail('the .rdx index has no variables');
  const objects = new Map<string, RValue>();
  namesOf(variables).forEach((name, i) => {
    const entry = variables.value[i];
    if (entry.type !== 'integer' || entry.value.length !== 2) fail(`the index entry of ${name} is not c(offset, length)`);
    const [offset, length] = entry.value as number[];
    if (offset + length > rdb.length) fail(`${name} lies past the end of the .rdb file`);
    const blob = rdb.subarray(offset, offset + length);
    const expected = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0, false);
    const bytes = new Uint8Array(inflateSync(blob.subarray(4)));
    if (bytes.length !== expected) fail(`${name} inflates to ${bytes.length} bytes, its header says ${expected}`);
    objects.set(name, unserialize(bytes));
  });
  return objects;
}
