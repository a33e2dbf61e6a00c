/**
 * A document read at any offset, for the ZIP formats (docx, xlsx, pptx): the archive's central directory is
 * at its end and each entry is found from it, so a ZIP cannot be read front to back as it downloads. On Node
 * the extraction thread spools the download to a file and reads it back in small pieces (adapters/kb/
 * file-spool.ts), so a 200 MiB pptx never exists in memory; in workerd, or for bytes already in memory,
 * the document is held as one buffer ({@link spoolInMemory}).
 */

export interface RandomAccessBytes {
  readonly size: number;
  /**
   * `length` bytes at `offset`, fewer only where the document ends. The result may be a view of memory the
   * source keeps (in memory) or a fresh buffer (from a file): callers neither modify nor keep it.
   */
  read(offset: number, length: number): Uint8Array;
}

/**
 * Stores a document's pieces as they download (at most `max` bytes; the caller checks the size) and makes
 * them readable at any offset once the body has ended. `size` is the length the drive declared.
 */
export type Spool = (pieces: AsyncIterable<Uint8Array>, size: number, max: number) => Promise<RandomAccessBytes>;

export function bytesInMemory(bytes: Uint8Array): RandomAccessBytes {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** The spool without a disk: every piece in one buffer. */
export const spoolInMemory: Spool = async (pieces, size, max) => bytesInMemory(await readWhole(pieces, size, max));

/** All pieces in one buffer, allocated once at the declared size (grown only if the body is longer, up to `max`). */
export async function readWhole(pieces: AsyncIterable<Uint8Array>, size: number, max: number): Promise<Uint8Array> {
  let buffer = new Uint8Array(Math.min(size, max));
  let filled = 0;
  for await (const piece of pieces) {
    if (filled + piece.length > buffer.length) {
      const grown = new Uint8Array(Math.min(max, Math.max(filled + piece.length, buffer.length * 2)));
      grown.set(buffer.subarray(0, filled));
      buffer = grown;
    }
    buffer.set(piece, filled);
    filled += piece.length;
  }
  return filled === buffer.length ? buffer : buffer.subarray(0, filled);
}
