/**
 * The body of an extraction thread (see thread-extractor.ts): extracts each document it is sent and posts
 * the text or the error back, one at a time. `extract-thread.mjs` loads it through tsx in development;
 * `npm run build` bundles it as dist/node/extract-thread.mjs next to the service.
 */
import { parentPort } from "node:worker_threads";
import { extractText } from "../../core/kb/extract/extract.js";
import type { KbFormat } from "../../core/kb/kb-format.js";

// PDF.js can leave a rejected promise behind after it has already reported the failure; in this thread
// that must not take the extraction (or the process) down.
process.on("unhandledRejection", () => {});

parentPort!.on("message", async ({ id, format, bytes }: { id: number; format: KbFormat; bytes: Uint8Array }) => {
  try {
    const result = await extractText(format, bytes);
    parentPort!.postMessage({ id, ok: true, text: result.text });
  } catch (error) {
    parentPort!.postMessage({
      id,
      ok: false,
      code: typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "KB_EXTRACTION_FAILED",
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
