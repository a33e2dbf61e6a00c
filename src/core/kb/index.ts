/**
 * The pure knowledge-base core: admission (kb-path), text extraction (extract/) and
 * cleaning + chunking (chunk). No I/O; runs on Node and in workerd. Embeddings, vector stores and job wiring
 * build on this API elsewhere.
 */
export {
  DEFAULT_KB_NAME,
  MAX_KB_NAME_BYTES,
  invalidKbPathError,
  kbNameProblem,
  kbPathOf,
  unsupportedFormatError,
  type KbPath,
  type KbPathResult,
} from "./kb-path.js";
export { KB_EXTENSIONS, KB_FORMATS, extensionOf, formatOfFileName, isKbFormat, type KbFormat } from "./kb-format.js";
export {
  DEFAULT_MAX_COMPRESSION_RATIO,
  DEFAULT_MAX_EXTRACTED_CHARS,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  DEFAULT_MAX_ZIP_ENTRIES,
  DEFAULT_TIMEOUT_MS,
  MAX_BYTES,
  extractText,
  limitsFor,
  type ExtractLimits,
  type ExtractMeta,
  type ExtractResult,
} from "./extract/extract.js";
export { isPdfJsError } from "./extract/extract-pdf.js";
export {
  CHUNKING_CONFIG_KEYS,
  CHUNKING_LIMITS,
  DEFAULT_CHUNKING,
  chunkDocument,
  chunkText,
  chunkTextDetailed,
  chunkingOptionsFromConfig,
  cleanText,
  resolveChunkingOptions,
  type Chunk,
  type ChunkedDocument,
  type ChunkingDiagnostic,
  type ChunkingOptions,
} from "./chunk.js";
export { DEFAULT_KB_LANGUAGE, KB_LANGUAGE_KEY, kbLanguageFrom } from "./kb-language.js";
