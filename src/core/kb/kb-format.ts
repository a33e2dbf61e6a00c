/**
 * The document formats the knowledge-base job can extract text from, and how a file name maps to one.
 *
 * The mapping is by extension only, case-insensitive (`Manual.PDF` is a pdf), like the botserver's
 * `DocumentFormat::from_extension` (docs/botserver-compatibility.md, "Knowledge base: formats and caps").
 * We support a different set than the botserver: we add tsv, jsonl, yaml/yml and keep pptx; we drop the
 * legacy binary formats it had (doc, xls, rtf), which fail once with KB_UNSUPPORTED_FORMAT instead of being
 * retried.
 *
 * A file without an extension, or whose name is only an extension (`.md`), has no format.
 */

export const KB_FORMATS = [
  "txt",
  "md",
  "html",
  "csv",
  "tsv",
  "json",
  "jsonl",
  "xml",
  "yaml",
  "pdf",
  "docx",
  "xlsx",
  "pptx",
] as const;

export type KbFormat = (typeof KB_FORMATS)[number];

/** lower-case extension (without the dot) → format */
const BY_EXTENSION: ReadonlyMap<string, KbFormat> = new Map<string, KbFormat>([
  ["txt", "txt"],
  ["md", "md"],
  ["markdown", "md"],
  ["html", "html"],
  ["htm", "html"],
  ["csv", "csv"],
  ["tsv", "tsv"],
  ["json", "json"],
  ["jsonl", "jsonl"],
  ["xml", "xml"],
  ["yaml", "yaml"],
  ["yml", "yaml"],
  ["pdf", "pdf"],
  ["docx", "docx"],
  ["xlsx", "xlsx"],
  ["pptx", "pptx"],
]);

/** The extensions we accept, lower case, e.g. for an error message or the API. */
export const KB_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys()];

export function isKbFormat(value: string): value is KbFormat {
  return (KB_FORMATS as readonly string[]).includes(value);
}

/** The lower-case extension of a file name (its last path segment), or null when there is none. */
export function extensionOf(fileName: string): string | null {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0 || dot === base.length - 1) return null; // ".md" (no stem), "file." (no extension)
  return base.slice(dot + 1).toLowerCase();
}

/** `report.PDF` → "pdf"; `notes.yml` → "yaml"; `slides.ppt` / `README` → null. */
export function formatOfFileName(fileName: string): KbFormat | null {
  const ext = extensionOf(fileName);
  return ext === null ? null : (BY_EXTENSION.get(ext) ?? null);
}
