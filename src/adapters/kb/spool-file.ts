/**
 * A file for one document's spool (file-spool.ts): opened and written by the service as the document
 * downloads (the drive's buffers go straight to the file, never copied to a thread), then read by the
 * extraction thread through its descriptor. Its name is removed as soon as it is open, so the file exists
 * only as long as the descriptor: closing it (after the document, whatever the outcome) frees the disk, and
 * so does the kernel when the process dies, even by SIGKILL — nothing is ever left behind to clean up.
 * It lives under the service's data dir rather than the system's temp dir, which may be a tmpfs in memory.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, unlink } from "node:fs/promises";
import { join } from "node:path";

export interface SpoolFile {
  fd: number;
  write(bytes: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

export async function openSpoolFile(dir: string): Promise<SpoolFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `document-${process.pid}-${randomBytes(6).toString("hex")}`);
  const handle = await open(path, "wx+", 0o600);
  try {
    await unlink(path);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    fd: handle.fd,
    async write(bytes, position) {
      for (let written = 0; written < bytes.length; ) {
        written += (await handle.write(bytes, written, bytes.length - written, position + written)).bytesWritten;
      }
    },
    close: () => handle.close(),
  };
}
