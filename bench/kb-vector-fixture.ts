/**
 * A synthetic embedding corpus for the vector search bench, and its bulk load.
 *
 * Shape. Vectors of text-embedding models are not uniform on the sphere: they lie near a low-dimensional
 * surface (intrinsic dimensionality of tens, not hundreds) and cluster by topic, and a query lands near the
 * passages that answer it. Uniformly random vectors — or hashed bags of random words, which behave the
 * same — are the worst case for every approximate index and say little about real corpora. So: 500 topics
 * in a 32-dimensional latent space, documents of 10 chunks scattered around a topic (σ 1.0, the spread of
 * the topics themselves), chunks around their document (σ 0.8), projected into the model's dimensions by a
 * fixed random matrix, with 0.2 of isotropic noise per dimension, normalised. A query is a chunk's latent
 * moved by σ 0.8 — as far from its passage as two chunks of one document are from each other — and
 * projected the same way. Everything comes from one seed, so runs compare.
 *
 * Load. Parsing the text form of 100,000 × 384 floats costs PGlite ~40 s; a binary COPY costs ~1 s. The
 * wire protocol of pglite-socket has no COPY FROM STDIN, so the fixture is copied in-process (PGlite's
 * `/dev/blob`) into the data directory the bench then serves over the wire like the embedded default.
 */
import { prng } from "../test/harness/prng.js";

export interface CorpusShape {
  chunks: number;
  dims: number;
  chunksPerDocument: number;
  seed: number;
}

const LATENT = 32;
const TOPICS = 500;
const DOCUMENT_SPREAD = 1.0;
const CHUNK_SPREAD = 0.8;
const QUERY_SPREAD = 0.8;
const NOISE = 0.2;

export class VectorCorpus {
  private readonly projection: Float64Array[];
  private readonly latents: Float64Array[];
  private readonly gauss: () => number;
  private readonly random: ReturnType<typeof prng>;

  constructor(readonly shape: CorpusShape) {
    this.random = prng(shape.seed);
    const r = this.random;
    this.gauss = () => Math.sqrt(-2 * Math.log(r.next() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * r.next());
    const gauss = this.gauss;
    this.projection = Array.from({ length: shape.dims }, () => Float64Array.from({ length: LATENT }, () => gauss() / Math.sqrt(LATENT)));
    const topics = Array.from({ length: TOPICS }, () => Float64Array.from({ length: LATENT }, gauss));
    const documents = Array.from({ length: Math.ceil(shape.chunks / shape.chunksPerDocument) }, () =>
      topics[r.int(TOPICS)]!.map((x) => x + DOCUMENT_SPREAD * gauss()),
    );
    this.latents = Array.from({ length: shape.chunks }, (_, i) => documents[Math.floor(i / shape.chunksPerDocument)]!.map((x) => x + CHUNK_SPREAD * gauss()));
  }

  documentOf(chunk: number): number {
    return Math.floor(chunk / this.shape.chunksPerDocument);
  }

  /** The chunk's embedding; its isotropic noise is drawn anew on each call, and the load calls it once. */
  vector(chunk: number): Float64Array {
    return this.embed(this.latents[chunk]!);
  }

  /** A query near a chunk picked by the corpus' own random sequence. */
  query(): number[] {
    const near = this.latents[this.random.int(this.shape.chunks)]!;
    return Array.from(this.embed(near.map((x) => x + QUERY_SPREAD * this.gauss())));
  }

  private embed(latent: Float64Array): Float64Array {
    const v = new Float64Array(this.shape.dims);
    let norm = 0;
    for (let d = 0; d < v.length; d++) {
      const row = this.projection[d]!;
      let x = NOISE * this.gauss();
      for (let j = 0; j < LATENT; j++) x += row[j]! * latent[j]!;
      v[d] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < v.length; d++) v[d]! /= norm;
    return v;
  }
}

/**
 * PostgreSQL's binary COPY of `(bot_id, kb, document_path, chunk_index, content, start_char, end_char,
 * embedding_space, embedding)` for every chunk of the corpus: a header, then per row the field count and
 * each field as a length and its bytes, then -1. pgvector's binary form is int16 dimensions, int16 unused,
 * then float4s; all big-endian.
 */
export function chunksCopyBinary(corpus: VectorCorpus, row: { botId: string; kb: string; space: string; documentPath: (doc: number) => string }): Buffer<ArrayBuffer> {
  const { chunks, dims, chunksPerDocument } = corpus.shape;
  const int4 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const vectorBytes = (v: Float64Array) => {
    const b = Buffer.alloc(4 + dims * 4);
    b.writeInt16BE(dims, 0);
    v.forEach((x, i) => b.writeFloatBE(x, 4 + i * 4));
    return b;
  };
  const tuple = (fields: Buffer[]) => {
    const count = Buffer.alloc(2);
    count.writeInt16BE(fields.length);
    return [count, ...fields.flatMap((f) => [int4(f.length), f])];
  };
  const fixed = { botId: Buffer.from(row.botId.replace(/-/g, ""), "hex"), kb: Buffer.from(row.kb), space: Buffer.from(row.space), zero: int4(0) };
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (let i = 0; i < chunks; i++) {
    const content = Buffer.from(`chunk ${i}`);
    parts.push(
      ...tuple([
        fixed.botId,
        fixed.kb,
        Buffer.from(row.documentPath(corpus.documentOf(i))),
        int4(i % chunksPerDocument),
        content,
        fixed.zero,
        int4(content.length),
        fixed.space,
        vectorBytes(corpus.vector(i)),
      ]),
    );
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}
