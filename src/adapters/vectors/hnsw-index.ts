/**
 * One pgvector HNSW index per embedding dimension. `botsync_kb_chunks.embedding` is an untyped `vector`
 * (bots use different models), and an index needs one dimension, so each dimension N in use gets a partial
 * expression index
 *
 *   create index botsync_kb_chunks_hnsw_N on botsync_kb_chunks
 *     using hnsw ((embedding::vector(N)) vector_cosine_ops) where vector_dims(embedding) = N
 *
 * and a search for an N-dimensional query orders by exactly that expression under exactly that predicate,
 * so the planner can use it. Above 2,000 dimensions (pgvector's limit for `vector` in HNSW) the index is on
 * `halfvec(N)` (16-bit floats, up to 4,000); above that there is no index and search is an exact scan.
 * The SQL is plain pgvector, the same on PGlite and on any PostgreSQL with the extension.
 *
 * When: before the first document with N-dimensional vectors is written, so on a new database the index is
 * built over no rows (instantly) and every insert after that maintains it. A database that already holds
 * N-dimensional vectors without the index (one upgraded from a version without it) gets it at the next
 * store of such a document; `POST /api/bots/{bot}/kb/reindex` does that on purpose.
 *
 * How: a plain CREATE INDEX IF NOT EXISTS in its own short transaction, after a transaction-scoped advisory
 * lock on (botsync HNSW, N). The lock serialises processes that meet a new dimension at the same moment —
 * without it two concurrent CREATE INDEX IF NOT EXISTS of one name can both pass the existence check and
 * one fails on the catalog's unique name. CREATE INDEX CONCURRENTLY was considered and not used: it cannot
 * run in a transaction, leaves an INVALID index behind when interrupted, and waits for every older
 * transaction in the database, not only the writers of this table; the plain build blocks writes to the
 * chunk table only while it runs, which on first use is a scan that finds no rows of that dimension. The
 * per-statement timeout is lifted for the build, which can be long only in the upgrade case above.
 */
import type postgres from "postgres";
import type { Sql } from "../db/connect.js";

/** pgvector's HNSW limits: `vector` up to 2,000 dimensions, `halfvec` up to 4,000. */
const VECTOR_INDEX_MAX = 2_000;
const HALFVEC_INDEX_MAX = 4_000;

/**
 * Graph build parameters: pgvector's defaults. On the bench's 100,000 chunks at 384 dimensions they give
 * recall@10 against the exact scan of 0.99 at the ef_search below (0.98 at 40, 0.97 at 32).
 */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 64;
/**
 * Candidates kept while searching. pgvector's default, 40, is about a quarter faster on that data; 64 is
 * kept for the margin, since real corpora can be harder than the bench's.
 */
export const HNSW_EF_SEARCH = 64;

// Any constant works; it only has to be the same for every botsync process ("bsyc").
const HNSW_LOCK_CLASS = 0x62737963;

export interface DimensionPlan {
  dims: number;
  /** the column cast the index is built on and searches order by; null above 4,000 dimensions (no index) */
  cast: string | null;
  indexName: string;
}

export function dimensionPlan(dims: number): DimensionPlan {
  const cast = dims <= VECTOR_INDEX_MAX ? `vector(${dims})` : dims <= HALFVEC_INDEX_MAX ? `halfvec(${dims})` : null;
  return { dims, cast, indexName: `botsync_kb_chunks_hnsw_${dims}` };
}

/** Creates each dimension's index once per process (and once per database, across processes). */
export class HnswIndexes {
  private readonly ready = new Map<number, Promise<void>>();

  constructor(private readonly sql: Sql) {}

  ensure(dims: number): Promise<void> {
    const plan = dimensionPlan(dims);
    if (!plan.cast) return Promise.resolve();
    let ready = this.ready.get(dims);
    if (!ready) {
      ready = this.create(plan);
      this.ready.set(dims, ready);
      // A failed build is tried again by the next document of that dimension.
      ready.catch(() => this.ready.delete(dims));
    }
    return ready;
  }

  private async create(plan: DimensionPlan): Promise<void> {
    if (await this.valid(this.sql, plan)) return;
    await this.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${HNSW_LOCK_CLASS}::int4, ${plan.dims}::int4)`;
      const state = await this.valid(tx, plan);
      if (state) return;
      await tx`set local statement_timeout = 0`;
      // An INVALID index of that name (left by someone's interrupted CREATE INDEX CONCURRENTLY) is never
      // used by the planner and would make IF NOT EXISTS a no-op.
      if (state === false) await tx.unsafe(`drop index if exists ${plan.indexName}`);
      const ops = plan.cast!.startsWith("halfvec") ? "halfvec_cosine_ops" : "vector_cosine_ops";
      await tx.unsafe(
        `create index if not exists ${plan.indexName} on botsync_kb_chunks using hnsw ((embedding::${plan.cast}) ${ops}) ` +
          `with (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION}) where vector_dims(embedding) = ${plan.dims}`,
      );
    });
  }

  /** true: a usable index exists; false: an invalid one exists; null: none. */
  private async valid(sql: Sql | postgres.TransactionSql, plan: DimensionPlan): Promise<boolean | null> {
    const [row] = await sql<{ valid: boolean }[]>`select indisvalid as valid from pg_index where indexrelid = to_regclass(${plan.indexName})`;
    return row ? row.valid : null;
  }
}
