/**
 * `{bot}.gbai/{bot}.gbkb/{kb}/**\/{file}` → text → chunks → (embeddings) → the chunk index. A key of an
 * unsupported format or a document over its format's size cap is refused from the object's metadata,
 * before a byte is downloaded; the body is streamed to the extractor, never held by the job. The slow part
 * (extraction, embedding, Qdrant's points) runs in `prepare`, outside the job's transaction, in the `kb`
 * lane; the chunks are replaced through the KB slice's store in the job's transaction, so they commit with
 * the job and a failed re-index leaves the previous chunks searchable. Embedding, chunking and language
 * settings come from the bot's config.csv, read fresh for every document.
 */
import { embeddingSpace } from "../embeddings/embedding-config.js";
import { embeddingForBot } from "../embeddings/embedding-for-bot.js";
import type { BotSecrets } from "../ports/bot-secrets.js";
import type { ClaimedJob, ObjectDiagnostic } from "../jobs/job-types.js";
import type { StreamObjectJobHandler } from "../jobs/object-job-handler.js";
import type { ObjectKind } from "../jobs/object-kind.js";
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { ChunkIndex, IndexedChunk, KbDocument } from "../ports/chunk-index.js";
import type { DocumentExtractor } from "../ports/document-extractor.js";
import type { Embedder } from "../ports/embedder.js";
import { chunkingOptionsFromConfig } from "./chunk.js";
import { DEFAULT_MAX_EXTRACTED_CHARS, MAX_BYTES } from "./extract/extract.js";
import type { KbFormat } from "./kb-format.js";
import { invalidKbPathError, kbPathOf, unsupportedFormatError, type KbPath } from "./kb-path.js";
import { kbLanguageFallbackMessage, kbLanguageFrom } from "./kb-language.js";
import type { KbStore } from "./kb-store.js";

/** What `prepare` hands to `apply`: the document to store and what was found on the way. */
interface PreparedDocument {
  diagnostics: ObjectDiagnostic[];
  doc: KbDocument;
  chunks: IndexedChunk[];
  vectors: { space: string | null; inDatabase: boolean };
}

export interface KbJobDeps {
  extractor: DocumentExtractor;
  index: ChunkIndex;
  embedder: Embedder;
  config: BotConfigReader;
  /** the bots' own secrets (the embedding key when config.csv has none); absent in a Worker */
  secrets?: BotSecrets;
}

/** Largest object the KB lane downloads at all; each format's own cap is checked before extraction. */
const LARGEST = Math.max(...Object.values(MAX_BYTES));

/** The document's place and format, or the error that refuses it (before any byte is downloaded). */
function admitted(job: ClaimedJob): KbPath & { format: KbFormat } {
  const path = kbPathOf(job.bot, job.key);
  if (!path.ok) throw invalidKbPathError(job.key, path.reason);
  if (!path.format) throw unsupportedFormatError(path.fileName);
  return { ...path, format: path.format };
}

/** Any file under `{bot}.gbkb/`, at any depth; one directly in it goes to the default KB. */
export function kbKind(deps: KbJobDeps): ObjectKind<KbStore> {
  return { name: "kb", fileType: KB_FILE_TYPE, lane: "kb", matches: (bot, key) => key.startsWith(`${bot}.gbkb/`), handler: kbObjectJob(deps) };
}

/** `drive_files.file_type` of KB documents (what a chunking or embedding change re-queues). */
export const KB_FILE_TYPE = "kb";

export function kbObjectJob(deps: KbJobDeps): StreamObjectJobHandler<KbStore, PreparedDocument> {
  return {
    read: "stream",
    maxBytes: (job) => {
      const path = kbPathOf(job.bot, job.key);
      return path.ok && path.format ? MAX_BYTES[path.format] : LARGEST;
    },
    admit(job) {
      admitted(job);
    },
    async prepare({ job, body, size, etag, log }) {
      const path = admitted(job);
      const config = await deps.config.read(job.botId);
      const chunking = chunkingOptionsFromConfig(config);
      const document = await deps.extractor.extract({ format: path.format, body, size, chunking: chunking.options, log });
      const embedding = await embeddingForBot(job.botId, config, deps);
      const vectors =
        embedding && document.chunks.length > 0 && (await deps.index.hasVectors())
          ? await deps.embedder.embed(embedding, document.chunks.map((c) => c.text))
          : null;
      const doc: KbDocument = { botId: job.botId, bot: job.bot, kb: path.kb, documentPath: job.filePath, title: path.title, etag, language: kbLanguageFrom(config) };
      const chunks = document.chunks.map((c, i) => ({ index: c.index, text: c.text, start: c.start, end: c.end, vector: vectors?.[i] ?? null }));
      const { vectorsInDatabase } = await deps.index.prepareDocument(doc, chunks);
      const diagnostics: ObjectDiagnostic[] = chunking.diagnostics.map((d) => ({ severity: "warning", code: "kb-chunking", message: d.message }));
      for (const warning of document.warnings) diagnostics.push({ severity: "warning", code: "kb-extraction", message: warning });
      if (document.textTruncated) {
        diagnostics.push({
          severity: "warning",
          code: "kb-truncated",
          message: `the document has more than ${DEFAULT_MAX_EXTRACTED_CHARS.toLocaleString("en-US")} characters of text; only those were read and indexed`,
        });
      }
      if (document.chunksTruncated) {
        diagnostics.push({ severity: "warning", code: "kb-truncated", message: `only the first ${chunking.options.maxChunks} chunks were indexed (kb-max-chunks)` });
      }
      if (path.inDefaultKb) {
        diagnostics.push({ severity: "warning", code: "kb-default", message: `the file is not in a KB folder; it was indexed into the "${path.kb}" KB` });
      }
      return { diagnostics, doc, chunks, vectors: { space: vectors ? embeddingSpace(embedding) : null, inDatabase: vectorsInDatabase } };
    },
    async apply({ prepared }, store) {
      const indexed = await store.replaceDocument(prepared.doc, prepared.chunks, prepared.vectors);
      const diagnostics = [...prepared.diagnostics];
      if (indexed.language !== prepared.doc.language) {
        diagnostics.unshift({ severity: "warning", code: "kb-language", message: kbLanguageFallbackMessage(prepared.doc.language, indexed.language) });
      }
      return { diagnostics };
    },
    async prepareRemove({ job }) {
      const ref = documentRef(job);
      if (ref) await deps.index.prepareRemove(ref);
    },
    async remove({ job }, store) {
      const ref = documentRef(job);
      if (ref) await store.removeDocument(ref);
    },
  };
}

function documentRef(job: ClaimedJob) {
  const path = kbPathOf(job.bot, job.key);
  return path.ok ? { botId: job.botId, bot: job.bot, kb: path.kb, documentPath: job.filePath } : null;
}
