/**
 * The body of one extraction thread (see thread-extractor.ts): extract the document it was given, post the
 * text or the error back. `extract-thread.mjs` loads it through tsx in development; `npm run build` bundles
 * it as dist/node/extract-thread.mjs next to the service.
 */
import { parentPort, workerData } from "node:worker_threads";
import { extractText } from "../../core/kb/extract/extract.js";
import type { KbFormat } from "../../core/kb/kb-format.js";

// PDF.js can leave a rejected promise behind after it has already reported the failure; in this thread
// that must not take the extraction (or the process) down.
process.on("unhandledRejection", () => {});

const { format, bytes } = workerData as { format: KbFormat; bytes: Uint8Array };
try {
  const result = await extractText(format, bytes);
  parentPort!.postMessage({ ok: true, text: result.text });
} catch (error) {
  parentPort!.postMessage({
    ok: false,
    code: typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "KB_EXTRACTION_FAILED",
    message: error instanceof Error ? error.message : String(error),
  });
}
