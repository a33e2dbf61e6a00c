/**
 * A file for one document's spool (file-spool.ts), opened by the service and written and read by the
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
  return { fd: handle.fd, close: () => handle.close() };
}
