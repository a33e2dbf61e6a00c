/**
 * `{bot}.gbai/{bot}.gbkb/{kb}/**\/{file}` → text → chunks → (embeddings) → the chunk index. The slow part
 * runs in `prepare`, outside the job's transaction, in the `kb` lane; the index replaces a document's chunks
 * as a unit, so a failed re-index leaves the previous chunks searchable. Embedding, chunking and language
 * settings come from the bot's config.csv, read fresh for every document.
 */
import { embeddingConfigFrom, embeddingSpace } from "../embeddings/embedding-config.js";
import type { ObjectDiagnostic } from "../jobs/job-types.js";
import type { ObjectJobHandler } from "../jobs/object-job-handler.js";
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { ChunkIndex } from "../ports/chunk-index.js";
import type { DocumentExtractor } from "../ports/document-extractor.js";
import type { Embedder } from "../ports/embedder.js";
import { chunkDocument, chunkingOptionsFromConfig } from "./chunk.js";
import { kbLanguageFallbackMessage, kbLanguageFrom } from "./kb-language.js";
import { MAX_BYTES } from "./extract/extract.js";
import { invalidKbPathError, kbPathOf, unsupportedFormatError } from "./kb-path.js";

export interface KbJobDeps {
  extractor: DocumentExtractor;
  index: ChunkIndex;
  embedder: Embedder;
  config: BotConfigReader;
}

/** Largest object the KB lane downloads at all; each format's own cap is checked before extraction. */
const LARGEST = Math.max(...Object.values(MAX_BYTES));

export function kbObjectJob(deps: KbJobDeps): ObjectJobHandler {
  return {
    kind: "kb",
    maxBytes: (job) => {
      const path = kbPathOf(job.bot, job.key);
      return path.ok && path.format ? MAX_BYTES[path.format] : LARGEST;
    },
    async prepare({ job, bytes, etag }) {
      const path = kbPathOf(job.bot, job.key);
      if (!path.ok) throw invalidKbPathError(job.key, path.reason);
      if (!path.format) throw unsupportedFormatError(path.fileName);
      const config = await deps.config.read(job.botId);
      const chunking = chunkingOptionsFromConfig(config);
      const { text } = await deps.extractor.extract(path.format, bytes);
      const document = chunkDocument(text, chunking.options);
      const embedding = embeddingConfigFrom(config);
      const vectors =
        embedding && document.chunks.length > 0 && (await deps.index.hasVectors())
          ? await deps.embedder.embed(embedding, document.chunks.map((c) => c.text))
          : null;
      const language = kbLanguageFrom(config);
      const indexed = await deps.index.replaceDocument(
        { botId: job.botId, bot: job.bot, kb: path.kb, documentPath: job.filePath, title: path.title, etag, language },
        document.chunks.map((c, i) => ({ index: c.index, text: c.text, start: c.start, end: c.end, vector: vectors?.[i] ?? null })),
        vectors ? embeddingSpace(embedding) : null,
      );
      const diagnostics: ObjectDiagnostic[] = chunking.diagnostics.map((d) => ({ severity: "warning", code: "kb-chunking", message: d.message }));
      if (indexed.language !== language) {
        diagnostics.push({ severity: "warning", code: "kb-language", message: kbLanguageFallbackMessage(language, indexed.language) });
      }
      if (document.truncated) {
        diagnostics.push({ severity: "warning", code: "kb-truncated", message: `only the first ${chunking.options.maxChunks} chunks were indexed (kb-max-chunks)` });
      }
      if (path.inDefaultKb) {
        diagnostics.push({ severity: "warning", code: "kb-default", message: `the file is not in a KB folder; it was indexed into the "${path.kb}" KB` });
      }
      return { diagnostics };
    },
    async apply({ prepared }) {
      return { diagnostics: prepared?.diagnostics ?? [] };
    },
    async prepareRemove({ job }) {
      const path = kbPathOf(job.bot, job.key);
      if (!path.ok) return;
      await deps.index.removeDocument({ botId: job.botId, bot: job.bot, kb: path.kb, documentPath: job.filePath });
    },
    async remove() {},
  };
}
