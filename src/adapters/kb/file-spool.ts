/**
 * The extraction thread's spool (core/kb/extract/random-access.ts): a ZIP document's download written to a
 * file the service opened for it (spool-file.ts), then read back at offsets, a block at a time. Reads and
 * writes are synchronous on purpose: they run on the extraction thread, never on the service's event loop,
 * and the ZIP reader is synchronous between its deadline checks.
 */
import { readSync, writeSync } from "node:fs";
import type { RandomAccessBytes, Spool } from "../../core/kb/extract/random-access.js";

export function fileSpool(fd: number): Spool {
  return async (pieces) => {
    let size = 0;
    for await (const piece of pieces) {
      for (let written = 0; written < piece.length; ) written += writeSync(fd, piece, written, piece.length - written, size + written);
      size += piece.length;
    }
    return fileBytes(fd, size);
  };
}

function fileBytes(fd: number, size: number): RandomAccessBytes {
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      for (let filled = 0; filled < out.length; ) {
        const n = readSync(fd, out, filled, out.length - filled, offset + filled);
        if (n === 0) return out.subarray(0, filled);
        filled += n;
      }
      return out;
    },
  };
}
