/** The messages between ThreadExtractor (the service's thread) and an extraction thread. */
import type { ErrorCode } from "../../core/errors.js";
import type { ChunkingOptions } from "../../core/kb/chunk.js";
import type { KbFormat } from "../../core/kb/kb-format.js";
import type { ExtractedDocument } from "../../core/ports/document-extractor.js";

/** A document's chunks as the cleaned text and their bounds (packChunks): cheap to post between threads. */
export type PackedDocument = Omit<ExtractedDocument, "chunks"> & { text: string; bounds: Uint32Array };
import type { MessagePort } from "node:worker_threads";

/** service → thread: extract one document, whose body is served on `port` */
export interface ThreadRequest {
  type: "extract";
  id: number;
  format: KbFormat;
  size: number;
  chunking: ChunkingOptions;
  port: MessagePort;
  /** a ZIP document: the descriptor of the file the service spooled it to (`size` bytes; the body is empty) */
  spoolFd?: number;
}

/** thread → service */
export type ThreadReply =
  | { type: "result"; id: number; ok: true; document: PackedDocument }
  | { type: "result"; id: number; ok: false; code: ErrorCode; message: string }
  /** a promise rejected with nobody to handle it, while (or after) document `id` was extracted */
  | { type: "stray-rejection"; id: number; error: string };

/** thread → service, on the document's port: the next piece, or stop sending */
export type BodyRequest = { type: "pull" } | { type: "cancel" };

/** service → thread, on the document's port */
export type BodyReply = { type: "piece"; bytes: Uint8Array } | { type: "end" } | { type: "error"; message: string };
