import postgres from "postgres";
import { BotsyncError } from "../../core/errors.js";

export type Sql = postgres.Sql;
/** A connection inside a transaction of ours (see `transaction`). */
export type Tx = postgres.ReservedSql;

export interface ConnectOptions {
  /** pool size; the embedded PGlite serves one connection at a time, so it needs 1 */
  max?: number;
  /** per-statement limit on the server, so a stuck query cannot hold a webhook past MinIO's 60 s */
  statementTimeoutMs?: number;
  /** read for every new connection: a password rotated in Vault is used without a restart */
  password?: () => Promise<string>;
}

export function connectDatabase(url: string, options: ConnectOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 5,
    idle_timeout: 60,
    max_lifetime: 30 * 60,
    onnotice: () => {},
    ...(options.password ? { password: options.password } : {}),
    connection: {
      application_name: "botsync",
      statement_timeout: options.statementTimeoutMs ?? 15_000,
    },
  });
}

// SQLSTATE classes that mean "the database is not there right now", not "the query is wrong":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, 57P01…),
// 3D invalid catalog (database dropped or not created yet), 55000 (database does not allow connections).
const UNAVAILABLE_SQLSTATE = /^(08|53|57|3D)|^55000$/;

// What postgres.js and the socket under it throw when the connection, not the query, failed.
const DRIVER_CONNECTION_ERRORS = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * Turns "the database is not there" into DATABASE_UNAVAILABLE (retryable): a server error of the classes
 * above, or a connection error of the driver. Anything else — a query error, or an error thrown by other
 * code inside a `db(…)` block, such as a file-system error of a job — is left as it is, to be classified
 * where it was raised.
 */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof BotsyncError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const isServerError = (error as { name?: string } | null)?.name === "PostgresError";
  const unavailable = isServerError ? typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code) : typeof code === "string" && DRIVER_CONNECTION_ERRORS.has(code);
  if (!unavailable) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BotsyncError("DATABASE_UNAVAILABLE", `database unavailable: ${message}`, { retryable: true, cause: error });
}

/** Runs a database operation and maps connection failures to DATABASE_UNAVAILABLE. */
export async function db<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw asDatabaseError(error);
  }
}

/**
 * Runs `fn` in a transaction on a connection reserved for it first. postgres.js's own `sql.begin` sends
 * BEGIN through the shared queue and marks the connection as its own only if that write went out without
 * back-pressure and below the pipeline limit; under pool pressure BEGIN can end up pipelined behind other
 * requests' queries, the connection is handed back to the pool, and the driver fails the transaction with
 * UNSAFE_TRANSACTION (a spurious 503 on the webhook). `sql.reserve()` takes an idle connection out of the
 * pool before anything is sent, so nothing else can run on it until we release it.
 */
export function transaction<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transactionEndingWith(sql, async (tx) => ({ result: await fn(tx) }));
}

/** What the body of `transactionEndingWith` hands back: its result, and the statement that goes out with COMMIT. */
export interface Ending<T> {
  result: T;
  last?: PromiseLike<unknown>;
}

/**
 * `transaction`, without the round trips a hot path cannot afford: BEGIN goes out together with the body's
 * first statements (a reserved connection pipelines what is sent on it), and the body's `last` statement,
 * started but not awaited, goes out together with COMMIT. When `last` fails the transaction is aborted, the
 * server turns COMMIT into a rollback, and `last`'s error is thrown: nothing is committed.
 */
export async function transactionEndingWith<T>(sql: Sql, fn: (tx: Tx) => Promise<Ending<T>>): Promise<T> {
  const tx = await sql.reserve();
  try {
    const begun = tx`begin`.execute();
    begun.catch(() => {});
    let ending: Ending<T>;
    try {
      ending = await fn(tx);
      await begun;
    } catch (error) {
      await tx`rollback`.catch(() => {});
      throw error;
    }
    const [last, commit] = await Promise.allSettled([ending.last, tx`commit`]);
    if (last.status === "rejected") throw last.reason;
    if (commit.status === "rejected") throw commit.reason;
    return ending.result;
  } finally {
    tx.release();
  }
}
