import { extractDocument } from "../../core/kb/extract-document.js";
import type { DocumentExtractor } from "../../core/ports/document-extractor.js";

/**
 * Extraction on the calling thread, for runtimes without worker threads (workerd runs each request alone,
 * and its isolate's CPU limit is the backstop for a runaway parser). The body streams straight from the drive.
 */
export const inlineExtractor: DocumentExtractor = {
  extract: ({ format, body, size, chunking }) => extractDocument({ format, body, size, chunking }),
};
