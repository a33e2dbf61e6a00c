// Runs one document's text extraction in a worker thread (see thread-extractor.ts). Plain JavaScript so the
// thread can start without a TypeScript loader; it registers tsx itself to load the extractor sources.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
// PDF.js can leave a rejected promise behind after it has already reported the failure; in this
// thread that must not take the extraction (or the process) down.
process.on("unhandledRejection", () => {});

const { extractText } = await import("../../core/kb/extract/extract.ts");
try {
  const result = await extractText(workerData.format, workerData.bytes);
  parentPort.postMessage({ ok: true, text: result.text });
} catch (error) {
  parentPort.postMessage({
    ok: false,
    code: typeof error?.code === "string" ? error.code : "KB_EXTRACTION_FAILED",
    message: error instanceof Error ? error.message : String(error),
  });
}
