import postgres from "postgres";
import { BotsyncError } from "../../core/errors.js";

export type Sql = postgres.Sql;

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

/** Turns driver/network errors into DATABASE_UNAVAILABLE (retryable); anything else is left as it is. */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof BotsyncError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const isServerError = (error as { name?: string } | null)?.name === "PostgresError";
  if (typeof code === "string" && isServerError && !UNAVAILABLE_SQLSTATE.test(code)) return error;
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
