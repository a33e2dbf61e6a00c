import { Hono } from "hono";
import { errorText } from "../core/errors.js";
import type { DependencyCheck } from "../core/ports/dependency-check.js";
import type { AppEnv } from "./app-deps.js";

const CHECK_TIMEOUT_MS = 3_000;

/** `GET /health` (no token): 200 when database, drive and secrets answer, 503 naming what does not. */
export function healthRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/health", async (c) => {
    const deps = c.env.deps;
    const [database, drive, secrets] = await Promise.all([
      probe(() => deps.status.check()),
      probe(() => deps.drive.check()),
      withTimeout(deps.secrets.check()).catch((error): DependencyCheck => ({ ok: false, source: deps.secrets.source, detail: errorText(error) })),
    ]);
    const ok = database.ok && drive.ok && secrets.ok;
    return c.json({ status: ok ? "ok" : "degraded", checks: { database, drive, secrets } }, ok ? 200 : 503);
  });
  return app;
}

async function probe(check: () => Promise<void>): Promise<DependencyCheck> {
  try {
    await withTimeout(check());
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: errorText(error) };
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
