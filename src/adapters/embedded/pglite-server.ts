/**
 * Embedded PostgreSQL: PGlite (Postgres 18 in WASM) with pgvector, served over the wire protocol by
 * pglite-socket so the production postgres.js code runs unchanged (README, "Runtimes").
 *
 * - PGlite is one session. The socket server accepts `maxConnections` clients (default 1) and answers any
 *   further one with a plain "Too many connections" and a close, which postgres.js reports as ECONNRESET:
 *   use `postgres(url, { max: 1 })`.
 * - Startup-message user/database are ignored; every client is `postgres` on database `postgres`, no
 *   password, no TLS (an SSLRequest gets 'N'). The url says so: postgres://postgres@host:port/postgres.
 * - A new on-disk dataDir runs initdb (several seconds); reopening an existing one takes about a second.
 *   "memory://" keeps nothing.
 */
import { mkdir } from "node:fs/promises";
import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { EmbeddedLog } from "./s3-server.js";

export interface EmbeddedPostgres {
  /** postgres://postgres@host:port/postgres — use with postgres.js `{ max: 1 }`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Directory for the cluster (created if missing, kept across restarts); "memory://" for throwaway. */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = random free port; default 0. */
  port?: number;
  /** Concurrent wire connections multiplexed onto the one PGlite session; default 1. */
  maxConnections?: number;
  log?: EmbeddedLog;
}

export const EMBEDDED_PG_USER = "postgres";
export const EMBEDDED_PG_DATABASE = "postgres";

function listenError(host: string, port: number, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === "EADDRINUSE" ? "port already in use" : err instanceof Error ? err.message : String(err);
  return new Error(`embedded Postgres could not listen on ${host}:${port}: ${why}`, { cause: err });
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err) => reject(listenError(host, port, err)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const requestedPort = opts.port ?? 0;
  const log = opts.log;
  const inMemory = opts.dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(opts.dataDir, { recursive: true });

  // PGlite takes seconds to boot; find out first whether a fixed port is free (the real bind is still checked).
  if (requestedPort !== 0) await assertPortFree(host, requestedPort);

  const started = Date.now();
  const db = await PGlite.create({ dataDir: opts.dataDir, extensions: { vector } });
  try {
    await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new Error(`embedded Postgres: could not load pgvector: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }

  const server = new PGLiteSocketServer({ db, host, port: requestedPort, maxConnections: opts.maxConnections ?? 1 });
  try {
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw listenError(host, requestedPort, err);
  }
  server.addEventListener("error", (ev) => {
    const detail = (ev as CustomEvent<unknown>).detail;
    log?.("embedded postgres: socket error", { error: detail instanceof Error ? detail.message : String(detail) });
  });

  // getServerConn() is "host:port" with the port the OS assigned.
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(":") + 1));
  const url = `postgres://${EMBEDDED_PG_USER}@${connectHost(host)}:${port}/${EMBEDDED_PG_DATABASE}`;
  log?.("embedded postgres: listening", { host, port, dataDir: opts.dataDir, startupMs: Date.now() - started });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        try {
          await server.stop();
        } finally {
          await db.close();
        }
        log?.("embedded postgres: closed", { port });
      })();
      return closing;
    },
  };
}
