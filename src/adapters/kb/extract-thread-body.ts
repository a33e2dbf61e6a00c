/**
 * The body of an extraction thread (see thread-extractor.ts): extracts, cleans and chunks each document it
 * is sent, pulling the document's bytes from the service as it reads them, and posts the chunks or the
 * error back, one document at a time. `extract-thread.mjs` loads it through tsx in development;
 * `npm run build` bundles it as dist/node/extract-thread.mjs next to the service.
 */
import { parentPort, type MessagePort } from "node:worker_threads";
import { BotsyncError } from "../../core/errors.js";
import { extractChunkedText, packChunks } from "../../core/kb/extract-document.js";
import { fileSpool } from "./file-spool.js";
import type { BodyReply, BodyRequest, ThreadReply, ThreadRequest } from "./extract-thread-protocol.js";

const port = parentPort!;
const post = (reply: ThreadReply) => port.postMessage(reply);

/** The document being extracted, or the last one: a late stray rejection is most likely its. */
let current: { id: number; reported: boolean } | null = null;

// PDF.js can leave a rejected promise behind after it has already reported the failure (see extract-pdf.ts).
// It must not end the thread, nor vanish: the service logs it, once per document.
process.on("unhandledRejection", (reason) => {
  if (current === null || current.reported) return;
  current.reported = true;
  const error = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  post({ type: "stray-rejection", id: current.id, error: error.slice(0, 300) });
});

port.on("message", async ({ id, format, size, chunking, port: bodyPort, spoolFd }: ThreadRequest) => {
  current = { id, reported: false };
  try {
    const spool = spoolFd === undefined ? undefined : fileSpool(spoolFd, size);
    const { chunks, ...document } = await extractChunkedText({ format, body: bodyFrom(bodyPort), size, chunking, spool });
    const bounds = packChunks(chunks);
    port.postMessage({ type: "result", id, ok: true, document: { ...document, bounds } } satisfies ThreadReply, [bounds.buffer]);
  } catch (error) {
    post({
      type: "result",
      id,
      ok: false,
      code: typeof (error as { code?: unknown })?.code === "string" ? (error as { code: BotsyncError["code"] }).code : "KB_EXTRACTION_FAILED",
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    bodyPort.close();
  }
});

/** The document's bytes as a stream that asks the service for one piece per pull (nothing is pushed unasked). */
function bodyFrom(bodyPort: MessagePort): ReadableStream<Uint8Array> {
  const ask = (request: BodyRequest) => bodyPort.postMessage(request);
  // a piece pulled ahead may still arrive after the extraction cancelled the stream: it is dropped
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      pull: (controller) =>
        new Promise<void>((resolve) => {
          bodyPort.once("message", (reply: BodyReply) => {
            if (cancelled) return resolve();
            if (reply.type === "piece") controller.enqueue(reply.bytes);
            else if (reply.type === "end") controller.close();
            else controller.error(new BotsyncError("DRIVE_UNAVAILABLE", `reading the document failed: ${reply.message}`, { retryable: true }));
            resolve();
          });
          ask({ type: "pull" });
        }),
      cancel: () => {
        cancelled = true;
        ask({ type: "cancel" });
      },
    },
    // a few pieces in flight keep the download and the parser busy at once
    new CountQueuingStrategy({ highWaterMark: 4 }),
  );
}
