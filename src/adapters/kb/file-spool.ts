/**
 * The extraction thread's spool (core/kb/extract/random-access.ts): a ZIP document the service has already
 * written to a file as it downloaded (spool-file.ts; the thread's body is then empty), read back at
 * offsets, a block at a time. Reads are synchronous on purpose: they run on the extraction thread, never on
 * the service's event loop, and the ZIP reader is synchronous between its deadline checks.
 */
import { readSync } from "node:fs";
import type { RandomAccessBytes, Spool } from "../../core/kb/extract/random-access.js";

/** The `size` bytes the service spooled to `fd`. */
export function fileSpool(fd: number, size: number): Spool {
  return async (pieces) => {
    for await (const _ of pieces); // nothing: the service wrote the document to the file
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
