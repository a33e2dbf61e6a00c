import { extractText } from "../../core/kb/extract/extract.js";
import type { KbFormat } from "../../core/kb/kb-format.js";
import type { DocumentExtractor } from "../../core/ports/document-extractor.js";

/** Extraction on the calling thread, for runtimes without worker threads (workerd runs each request alone). */
export const inlineExtractor: DocumentExtractor = {
  async extract(format: KbFormat, bytes: Uint8Array) {
    return { text: (await extractText(format, bytes)).text };
  },
};
