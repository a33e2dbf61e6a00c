import type { ChunkingOptions } from "../kb/chunk.js";
import type { KbFormat } from "../kb/kb-format.js";
import type { Logger } from "./logger.js";

export interface ExtractionRequest {
  format: KbFormat;
  /** The document as it is downloaded. The extractor reads it as far as it needs and cancels the rest. */
  body: ReadableStream<Uint8Array>;
  /** the length the drive declared for `body` */
  size: number;
  chunking: ChunkingOptions;
  /** the job's logger (bot, document path), for what the extractor notices beside its result */
  log: Logger;
}

export interface DocumentChunk {
  index: number;
  text: string;
  /** code-point offsets into the cleaned text */
  start: number;
  end: number;
}

export interface ExtractedDocument {
  chunks: DocumentChunk[];
  /** the text was cut at the extraction's character limit */
  textTruncated: boolean;
  /** chunking stopped at `chunking.maxChunks` */
  chunksTruncated: boolean;
  /** what extraction had to do that the owner should know (a decoding fallback…) */
  warnings: string[];
}

/**
 * Text extraction, cleaning and chunking as a service. On Node it runs in a worker thread: a CPU-bound
 * parser must not stall the config and dialog jobs or /health on the event loop, a runaway one can be
 * terminated at its time limit, and the document's bytes only ever exist there (they are streamed in).
 */
export interface DocumentExtractor {
  extract(request: ExtractionRequest): Promise<ExtractedDocument>;
}
