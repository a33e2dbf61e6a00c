import type { KbDocumentState } from "../ports/status-reader.js";

export interface KbSummary {
  name: string;
  documents: number;
  /** documents with chunks in the index (the last good version of a failed one counts) */
  indexed: number;
  failed: number;
  chunks: number;
}

/** One line per KB folder of a bot, in name order, from its documents' states. */
export function summarizeKbs(documents: KbDocumentState[]): KbSummary[] {
  const kbs = new Map<string, KbSummary>();
  for (const d of documents) {
    const kb = kbs.get(d.kb) ?? { name: d.kb, documents: 0, indexed: 0, failed: 0, chunks: 0 };
    kb.documents++;
    if (d.chunks !== null) kb.indexed++;
    if (d.status === "failed") kb.failed++;
    kb.chunks += d.chunks ?? 0;
    kbs.set(d.kb, kb);
  }
  return [...kbs.values()].sort((a, b) => a.name.localeCompare(b.name));
}
