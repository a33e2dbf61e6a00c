/**
 * Qdrant over its REST API, in the botserver's layout (docs/botserver-compatibility.md, "Qdrant layout") so
 * its `USE KB` finds what botsync
 * indexes: one collection per bot and KB named `{bot}_{bot_id[0..8]}_{kb}`, cosine distance, and points
 * whose payload is `{content, document_path, chunk_index, total_chunks, start_char, end_char,
 * document_title}` (+ `etag`). Differences from the botserver, on purpose: point ids are derived from
 * (document, ETag, chunk) instead of random, so re-upserting a version is idempotent; a document's new
 * points are written before its old ones are deleted, so a search sees the old version, the new one, or —
 * for a moment — both, never a half-written one; and deleting a document deletes its points (the botserver
 * matches the wrong `document_path` and orphans them).
 */
import { BotsyncError } from "../../core/errors.js";
import type { IndexedChunk, KbDocument, SearchHit } from "../../core/ports/chunk-index.js";

export interface QdrantOptions {
  url: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

const UPSERT_BATCH = 100;

export class QdrantVectors {
  private readonly base: string;
  private readonly fetcher: typeof fetch;
  private readonly sizes = new Map<string, number>();

  constructor(private readonly options: QdrantOptions) {
    this.base = options.url.replace(/\/+$/, "");
    this.fetcher = options.fetch ?? fetch;
  }

  /** Creates the collection, or recreates it when its vector size no longer matches the model's. */
  async ensureCollection(name: string, dimensions: number): Promise<void> {
    if (this.sizes.get(name) === dimensions) return;
    const existing = await this.call("GET", `/collections/${encodeURIComponent(name)}`, undefined, [404]);
    const size = (existing as { result?: { config?: { params?: { vectors?: { size?: number } } } } } | null)?.result?.config?.params?.vectors?.size;
    if (existing !== null && size !== dimensions) await this.call("DELETE", `/collections/${encodeURIComponent(name)}`);
    if (existing === null || size !== dimensions) {
      await this.call("PUT", `/collections/${encodeURIComponent(name)}`, {
        vectors: { size: dimensions, distance: "Cosine" },
        replication_factor: 1,
        shard_number: 1,
      });
    }
    this.sizes.set(name, dimensions);
  }

  async replaceDocument(collection: string, doc: KbDocument, chunks: IndexedChunk[]): Promise<void> {
    const dimensions = chunks[0]?.vector?.length;
    if (dimensions) {
      await this.ensureCollection(collection, dimensions);
      for (let i = 0; i < chunks.length; i += UPSERT_BATCH) {
        const points = await Promise.all(
          chunks.slice(i, i + UPSERT_BATCH).map(async (c) => ({
            id: await pointId(`${doc.documentPath}#${doc.etag}#${c.index}`),
            vector: c.vector!,
            payload: {
              content: c.text,
              document_path: doc.documentPath,
              chunk_index: c.index,
              total_chunks: chunks.length,
              start_char: c.start,
              end_char: c.end,
              document_title: doc.title,
              etag: doc.etag,
            },
          })),
        );
        await this.call("PUT", `/collections/${encodeURIComponent(collection)}/points?wait=true`, { points });
      }
    }
    await this.deletePoints(collection, {
      must: [{ key: "document_path", match: { value: doc.documentPath } }],
      ...(dimensions ? { must_not: [{ key: "etag", match: { value: doc.etag } }] } : {}),
    });
  }

  removeDocument(collection: string, documentPath: string): Promise<void> {
    return this.deletePoints(collection, { must: [{ key: "document_path", match: { value: documentPath } }] });
  }

  async search(collections: Array<{ name: string; kb: string }>, vector: number[], limit: number): Promise<SearchHit[]> {
    const results = await Promise.all(
      collections.map(async ({ name, kb }) => {
        const body = (await this.call("POST", `/collections/${encodeURIComponent(name)}/points/search`, { vector, limit, with_payload: true, with_vector: false }, [404])) as
          | { result: Array<{ score: number; payload: Record<string, unknown> }> }
          | null;
        return (body?.result ?? []).map((p) => ({
          kb,
          documentPath: String(p.payload.document_path),
          chunkIndex: Number(p.payload.chunk_index),
          text: String(p.payload.content),
          start: Number(p.payload.start_char),
          end: Number(p.payload.end_char),
          score: p.score,
        }));
      }),
    );
    return results.flat().sort((a, b) => b.score - a.score).slice(0, limit);
  }

  private async deletePoints(collection: string, filter: Record<string, unknown>): Promise<void> {
    await this.call("POST", `/collections/${encodeURIComponent(collection)}/points/delete?wait=true`, { filter }, [404]);
  }

  /** One REST call; `allowed` statuses answer null instead of failing (a missing collection). */
  private async call(method: string, path: string, body?: unknown, allowed: number[] = []): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetcher(`${this.base}${path}`, {
        method,
        headers: { "content-type": "application/json", ...(this.options.apiKey ? { "api-key": this.options.apiKey } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new BotsyncError("VECTORS_UNAVAILABLE", `Qdrant at ${this.base} is unreachable: ${(error as Error).message}`, { retryable: true });
    }
    if (allowed.includes(res.status)) return null;
    const text = await res.text();
    if (!res.ok) throw new BotsyncError("VECTORS_UNAVAILABLE", `Qdrant ${method} ${path.split("?")[0]} answered ${res.status}: ${text.slice(0, 200)}`, { retryable: true });
    return text ? JSON.parse(text) : null;
  }
}

/** A UUID (version 5 layout) from SHA-1 of the name: the same chunk of the same version gets the same id. */
async function pointId(name: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(name))).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
