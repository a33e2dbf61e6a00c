/**
 * A defensive ZIP reader for the OOXML formats (docx, xlsx, pptx).
 *
 * Library: `fflate` (pure JS, no dependencies, runs in workerd) for the DEFLATE stream only, through its
 * streaming `Inflate`, so every byte that comes out is counted as it comes. The archive structure (end of
 * central directory, ZIP64, central directory, local headers) is read here, because the bomb checks need
 * the declared sizes BEFORE anything is inflated, and fflate's `unzipSync` inflates into buffers sized from
 * those same (possibly lying) headers.
 *
 * Decompression-bomb protection, in two layers:
 *   1. On open, from the central directory: refuse more than `maxZipEntries` entries (checked from the
 *      end record before the directory is parsed), a total declared uncompressed size above
 *      `maxUncompressedBytes`, or an entry larger than ZIP_RATIO_GRACE_BYTES whose declared
 *      uncompressed/compressed ratio is above `maxCompressionRatio` (the rule of Apache POI's
 *      ZipSecureFile, a ratio limit with a grace size for small entries). Encrypted, multi-disk and duplicate
 *      entries are refused too.
 *   2. While inflating (declared sizes can lie), an entry may never produce more than it declared, and the
 *      archive never more than `maxUncompressedBytes`; an entry that produces less is corrupt.
 *      - Small entries (≤ 64 KiB compressed: most OOXML parts) are inflated in one call into a buffer of
 *        exactly the declared size + 1 byte, which fflate never grows: output past it is discarded, and a
 *        full buffer proves the lie. The work is bounded by the input (≤ 64 KiB × 1032 ≈ 66 MB of
 *        discarded output at worst, tens of milliseconds).
 *      - Larger entries go through the streaming `Inflate`: a first 4 KiB piece, then pieces sized to
 *        inflate to ~1 MiB at the ratio seen so far (4–32 KiB), with the checks after every piece. A piece
 *        inflates to at most ~1032× its size, so a lying header costs at most ~4 MiB of work beyond what it
 *        declared (~32 MiB if a stream turns explosive late).
 *      Why two paths: every streaming push makes fflate allocate a fresh ≥ 160 KiB output buffer, which for
 *      thousands of small parts (slides) cost more than the parsing; and one push that inflates to many MiB
 *      is several times slower per byte than a few smaller ones (its buffer grows by doubling).
 * Only the entries an extractor asks for are inflated; media and the rest are never touched.
 *
 * The archive is read through RandomAccessBytes (random-access.ts): on Node a file the download was spooled
 * to. What is held at once is the central directory (≤ MAX_CENTRAL_DIRECTORY_BYTES) and READ_BLOCK of the
 * entry being inflated, never the archive; an entry's text stops being read at the text limit.
 */
import { Inflate, inflateSync } from "fflate";
import { extractionFailed, isExtractionSignal, messageOf, type Deadline, type ExtractLimits } from "./context.js";
import { decodeUtf16 } from "./decode-text.js";
import { byteOrderMark } from "../../text/byte-order-mark.js";
import type { RandomAccessBytes } from "./random-access.js";

/** Entries up to this size are exempt from the ratio check (small parts of repeated XML compress very well). */
export const ZIP_RATIO_GRACE_BYTES = 100 * 1024;
/** Entries up to this compressed size are inflated in one call into a fixed buffer. */
export const INFLATE_ONE_SHOT = 64 * 1024;
/** Compressed bytes pushed into the streaming inflater per step: bounds, and the output aimed at. */
export const INFLATE_MIN_STEP = 4 * 1024;
export const INFLATE_MAX_STEP = 32 * 1024;
const INFLATE_TARGET_OUTPUT = 1024 * 1024;
/**
 * Largest central directory read: 10,000 entries of an Office file take ~2 MB (46 bytes, the name and a few
 * extra fields each).
 */
export const MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024;
/** Compressed bytes read from the document at a time (what an entry being inflated holds of the file). */
export const READ_BLOCK = 1024 * 1024;

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipLimits = Pick<ExtractLimits, "maxZipEntries" | "maxUncompressedBytes" | "maxCompressionRatio">;

function u16(b: Uint8Array, at: number): number {
  return (b[at] as number) | ((b[at + 1] as number) << 8);
}
function u32(b: Uint8Array, at: number): number {
  return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16) | ((b[at + 3] as number) << 24)) >>> 0;
}
function u64(b: Uint8Array, at: number): number {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  if (hi >= 0x200000) return Number.MAX_SAFE_INTEGER; // ≥ 2^53: far beyond any limit anyway
  return hi * 0x1_0000_0000 + lo;
}

const MB = (n: number) => (n < 1024 * 1024 ? `${n} bytes` : `${(n / (1024 * 1024)).toFixed(1)} MiB`);

export class SafeZip {
  private readonly byLowerName: Map<string, ZipEntry>;
  private inflatedTotal = 0;

  private constructor(
    private readonly source: RandomAccessBytes,
    readonly entries: ZipEntry[],
    private readonly limits: ZipLimits,
    private readonly what: string,
  ) {
    this.byLowerName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  }

  /**
   * Parses the central directory and applies the declared-size checks. Throws KB_EXTRACTION_FAILED. Reads
   * the first 8 bytes, the end records and the central directory, nothing else.
   */
  static open(source: RandomAccessBytes, limits: ZipLimits, what: string): SafeZip {
    const size = source.size;
    const head = source.read(0, 8);
    if (head.length >= 8 && u32(head, 0) === 0xe011cfd0 && u32(head, 4) === 0xe11ab1a1) {
      throw extractionFailed(`${what}: this is an OLE compound file, not a ZIP archive (a password-protected or legacy Office file)`);
    }
    const tailStart = Math.max(0, size - 22 - 0xffff);
    const tail = source.read(tailStart, size - tailStart);
    const found = findEndOfCentralDirectory(tail);
    if (found < 0) throw extractionFailed(`${what}: not a ZIP archive (no end of central directory record; truncated or not an Office Open XML file)`);
    const eocd = tail.subarray(found, found + 22);
    const eocdAt = tailStart + found;

    if (u16(eocd, 4) !== 0 || u16(eocd, 6) !== 0) throw extractionFailed(`${what}: multi-disk ZIP archives are not supported`);
    let count = u16(eocd, 10);
    let cdSize = u32(eocd, 12);
    let cdOffset = u32(eocd, 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocdAt - 20;
      const locator = loc < 0 ? new Uint8Array(0) : source.read(loc, 20);
      if (locator.length < 20 || u32(locator, 0) !== SIG_EOCD64_LOCATOR) throw extractionFailed(`${what}: ZIP64 end record missing`);
      const recAt = u64(locator, 8);
      const rec = recAt + 56 > size ? new Uint8Array(0) : source.read(recAt, 56);
      if (rec.length < 56 || u32(rec, 0) !== SIG_EOCD64) throw extractionFailed(`${what}: ZIP64 end record is invalid`);
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    if (count > limits.maxZipEntries) {
      throw extractionFailed(`${what}: the archive lists ${count} entries, more than the limit of ${limits.maxZipEntries}`);
    }
    if (cdOffset + cdSize > size) throw extractionFailed(`${what}: the central directory lies outside the file (truncated archive)`);
    // read into memory whole, so it is bounded: a lying end record must not make it hold the file
    if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) {
      throw extractionFailed(`${what}: the central directory is ${MB(cdSize)}, more than the ${MB(MAX_CENTRAL_DIRECTORY_BYTES)} an archive of ${limits.maxZipEntries} entries may have`);
    }
    const cd = source.read(cdOffset, cdSize);

    const entries: ZipEntry[] = [];
    const names = new Set<string>();
    const nameDecoder = new TextDecoder("utf-8");
    let total = 0;
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || u32(cd, p) !== SIG_CENTRAL) throw extractionFailed(`${what}: central directory entry ${i} is corrupt`);
      const flags = u16(cd, p + 8);
      const method = u16(cd, p + 10);
      let compressedSize = u32(cd, p + 20);
      let uncompressedSize = u32(cd, p + 24);
      const nameLen = u16(cd, p + 28);
      const extraLen = u16(cd, p + 30);
      const commentLen = u16(cd, p + 32);
      let localHeaderOffset = u32(cd, p + 42);
      if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw extractionFailed(`${what}: central directory entry ${i} is truncated`);
      const name = nameDecoder.decode(cd.subarray(p + 46, p + 46 + nameLen));

      if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
        // ZIP64 extended information extra field: the 8-byte values present are those whose 4-byte field is saturated
        let x = p + 46 + nameLen;
        const xEnd = x + extraLen;
        let zip64 = false;
        while (x + 4 <= xEnd) {
          const id = u16(cd, x);
          const fieldSize = u16(cd, x + 2);
          if (id === 0x0001) {
            let q = x + 4;
            const need = (v: number) => v === 0xffffffff;
            if (need(uncompressedSize)) (uncompressedSize = u64(cd, q)), (q += 8);
            if (need(compressedSize)) (compressedSize = u64(cd, q)), (q += 8);
            if (need(localHeaderOffset)) (localHeaderOffset = u64(cd, q)), (q += 8);
            if (q > x + 4 + fieldSize) throw extractionFailed(`${what}: ZIP64 field of ${JSON.stringify(name)} is too short`);
            zip64 = true;
            break;
          }
          x += 4 + fieldSize;
        }
        if (!zip64) throw extractionFailed(`${what}: ZIP64 field of ${JSON.stringify(name)} is missing`);
      }
      p += 46 + nameLen + extraLen + commentLen;

      if (flags & 0x1) throw extractionFailed(`${what}: entry ${JSON.stringify(name)} is encrypted`);
      const lower = name.toLowerCase();
      if (names.has(lower)) throw extractionFailed(`${what}: duplicate entry ${JSON.stringify(name)}`);
      names.add(lower);

      total += uncompressedSize;
      if (total > limits.maxUncompressedBytes) {
        throw extractionFailed(
          `${what}: the archive declares more than ${MB(limits.maxUncompressedBytes)} of uncompressed data (decompression bomb?)`,
        );
      }
      if (uncompressedSize > ZIP_RATIO_GRACE_BYTES && uncompressedSize > compressedSize * limits.maxCompressionRatio) {
        const ratio = compressedSize === 0 ? "∞" : Math.round(uncompressedSize / compressedSize).toString();
        throw extractionFailed(
          `${what}: entry ${JSON.stringify(name)} expands ${ratio}× (${MB(uncompressedSize)}), more than the limit of ${limits.maxCompressionRatio}× (decompression bomb?)`,
        );
      }
      entries.push({ name, flags, method, compressedSize, uncompressedSize, localHeaderOffset });
    }
    return new SafeZip(source, entries, limits, what);
  }

  /** The entry named `name` (OPC part names are case-insensitive; a leading '/' is ignored). */
  entry(name: string): ZipEntry | undefined {
    const n = name.startsWith("/") ? name.slice(1) : name;
    return this.byLowerName.get(n.toLowerCase());
  }

  has(name: string): boolean {
    return this.entry(name) !== undefined;
  }

  /**
   * Inflates entry `name`, handing its bytes to `onChunk` piece by piece, with the size checks of layer 2
   * and a deadline check after every step. Exceptions thrown by `onChunk` pass through unchanged. The
   * compressed bytes are read READ_BLOCK at a time, so an entry is never held whole, compressed or not.
   */
  stream(name: string, onChunk: (chunk: Uint8Array) => void, deadline: Deadline): void {
    const e = this.entry(name);
    if (e === undefined) throw extractionFailed(`${this.what}: missing part ${JSON.stringify(name)}`);
    const at = e.localHeaderOffset;
    const header = at + 30 > this.source.size ? new Uint8Array(0) : this.source.read(at, 30);
    if (header.length < 30 || u32(header, 0) !== SIG_LOCAL) throw extractionFailed(`${this.what}: local header of ${JSON.stringify(e.name)} is corrupt`);
    const dataStart = at + 30 + u16(header, 26) + u16(header, 28);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > this.source.size) throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} is truncated`);
    const data = new BlockReader(this.source, dataEnd);

    let produced = 0;
    const account = (n: number) => {
      produced += n;
      this.inflatedTotal += n;
      if (produced > e.uncompressedSize) {
        throw extractionFailed(
          `${this.what}: entry ${JSON.stringify(e.name)} inflates beyond its declared size of ${e.uncompressedSize} bytes (the archive lies about its sizes: decompression bomb?)`,
        );
      }
      if (this.inflatedTotal > this.limits.maxUncompressedBytes) {
        throw extractionFailed(`${this.what}: more than ${MB(this.limits.maxUncompressedBytes)} inflated (decompression bomb?)`);
      }
    };

    if (e.method === 0) {
      if (e.compressedSize !== e.uncompressedSize) throw extractionFailed(`${this.what}: stored entry ${JSON.stringify(e.name)} has inconsistent sizes`);
      for (let p = dataStart; p < dataEnd; p += READ_BLOCK) {
        const piece = data.slice(p, Math.min(p + READ_BLOCK, dataEnd));
        account(piece.length);
        onChunk(piece);
        deadline.check();
      }
      return;
    }
    if (e.method !== 8) throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} uses unsupported compression method ${e.method}`);

    if (e.compressedSize === 0) {
      // no DEFLATE data at all (not even an empty final block)
      if (e.uncompressedSize !== 0) throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} has no compressed data (corrupt archive)`);
      return;
    }
    if (e.compressedSize <= INFLATE_ONE_SHOT) {
      let out: Uint8Array;
      try {
        out = inflateSync(data.slice(dataStart, dataEnd), { out: new Uint8Array(e.uncompressedSize + 1) });
      } catch (error) {
        throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} has corrupt compressed data (${messageOf(error)})`, error);
      }
      account(out.length); // declared + 1 bytes: the archive lies
      if (out.length !== e.uncompressedSize) {
        throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} inflated to ${out.length} bytes, not the declared ${e.uncompressedSize} (corrupt archive)`);
      }
      deadline.check();
      onChunk(out);
      return;
    }

    let callbackError: unknown = undefined;
    const inflater = new Inflate((chunk) => {
      account(chunk.length);
      try {
        onChunk(chunk);
      } catch (error) {
        callbackError = error;
        throw error;
      }
    });
    try {
      let step = INFLATE_MIN_STEP;
      for (let p = dataStart; p < dataEnd; ) {
        const end = Math.min(p + step, dataEnd);
        inflater.push(data.slice(p, end), end === dataEnd);
        p = end;
        deadline.check();
        const ratio = Math.max(1, produced / (p - dataStart));
        step = Math.min(INFLATE_MAX_STEP, Math.max(INFLATE_MIN_STEP, Math.floor(INFLATE_TARGET_OUTPUT / ratio)));
      }
    } catch (error) {
      if (error === callbackError || isExtractionSignal(error)) throw error;
      throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} has corrupt compressed data (${messageOf(error)})`, error);
    }
    if (produced !== e.uncompressedSize) {
      throw extractionFailed(`${this.what}: entry ${JSON.stringify(e.name)} inflated to ${produced} bytes, not the declared ${e.uncompressedSize} (corrupt archive)`);
    }
  }

  /** The whole entry as bytes (for small parts). */
  read(name: string, deadline: Deadline): Uint8Array {
    const pieces: Uint8Array[] = [];
    let size = 0;
    this.stream(
      name,
      (c) => {
        pieces.push(c);
        size += c.length;
      },
      deadline,
    );
    if (pieces.length === 1) return pieces[0] as Uint8Array;
    const out = new Uint8Array(size);
    let o = 0;
    for (const c of pieces) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /**
   * Streams entry `name` as text to `onText`: UTF-8 decoded across chunk borders; a part with a UTF-16 BOM
   * (allowed by OPC, rare) is collected and decoded at the end by hand (workerd's TextDecoder is UTF-8 only).
   */
  streamText(name: string, onText: (text: string) => void, deadline: Deadline): void {
    let decoder: TextDecoder | undefined;
    let utf16: { littleEndian: boolean; pieces: Uint8Array[] } | undefined;
    this.stream(
      name,
      (chunk) => {
        if (decoder === undefined && utf16 === undefined) {
          const mark = byteOrderMark(chunk)?.encoding;
          if (mark === "utf-16le" || mark === "utf-16be") utf16 = { littleEndian: mark === "utf-16le", pieces: [] };
          else decoder = new TextDecoder("utf-8");
        }
        if (utf16 !== undefined) {
          utf16.pieces.push(new Uint8Array(chunk));
          return;
        }
        const text = (decoder as TextDecoder).decode(chunk, { stream: true });
        if (text.length > 0) onText(text);
      },
      deadline,
    );
    if (utf16 !== undefined) {
      const all = new Uint8Array(utf16.pieces.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of utf16.pieces) {
        all.set(p, o);
        o += p.length;
      }
      onText(decodeUtf16(all.subarray(2), utf16.littleEndian));
    } else if (decoder !== undefined) {
      const rest = decoder.decode();
      if (rest.length > 0) onText(rest);
    }
  }

  readText(name: string, deadline: Deadline): string {
    const parts: string[] = [];
    this.streamText(name, (t) => parts.push(t), deadline);
    return parts.join("");
  }
}

/**
 * Slices of [0, `end`) of a document, read READ_BLOCK at a time: the steps of an inflate are 4–32 KiB, and
 * one read per step would cost a system call each when the document is a file.
 */
class BlockReader {
  private start = 0;
  private block: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly source: RandomAccessBytes,
    private readonly end: number,
  ) {}

  slice(from: number, to: number): Uint8Array {
    if (from < this.start || to > this.start + this.block.length) {
      this.start = from;
      this.block = this.source.read(from, Math.max(to - from, Math.min(READ_BLOCK, this.end - from)));
      if (this.block.length < to - from) throw new Error(`the document ends before byte ${to}`);
    }
    return this.block.subarray(from - this.start, to - this.start);
  }
}

function findEndOfCentralDirectory(b: Uint8Array): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && u32(b, i) === SIG_EOCD) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------
// OPC (Open Packaging Conventions) helpers shared by docx/xlsx/pptx

export interface Relationship {
  id: string;
  type: string;
  /** Resolved part name inside the archive (no leading '/'), or the raw target for external links. */
  target: string;
  external: boolean;
}

/** The `_rels/x.rels` part that belongs to part `partName` (`word/document.xml` → `word/_rels/document.xml.rels`). */
export function relsPartOf(partName: string): string {
  const slash = partName.lastIndexOf("/");
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against the folder of its source part. */
export function resolveTarget(sourcePart: string, target: string): string {
  let t = target;
  try {
    t = decodeURIComponent(target);
  } catch {
    // keep it as written
  }
  const base = t.startsWith("/") ? [] : sourcePart.split("/").slice(0, -1).filter((s) => s !== "");
  for (const seg of t.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") base.pop();
    else base.push(seg);
  }
  return base.join("/");
}
