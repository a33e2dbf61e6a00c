import { errorText } from "../core/errors.js";
import type { DependencyCheck } from "../core/ports/dependency-check.js";
import { withTimeout } from "../core/time/timeout.js";
import { health } from "./api/schemas.js";
import type { AppDeps } from "./app-deps.js";
import { jsonRoute } from "./http/json-route.js";
import { router } from "./http/router.js";

export const CHECK_TIMEOUT_MS = 3_000;

export const healthRoute = jsonRoute({
  method: "get",
  path: "/health",
  summary: "Database, drive and secrets checks (503 when one is down)",
  auth: "none",
  tags: ["service"],
  response: health,
  errors: [503],
});

/** Database, drive and secrets, each with a time limit: for /health and for the metrics' dependency gauge. */
export async function checkDependencies(
  deps: Pick<AppDeps, "status" | "drive" | "secrets" | "clock">,
): Promise<Record<"database" | "drive" | "secrets", DependencyCheck>> {
  const limited = <T>(check: Promise<T>) => withTimeout(check, CHECK_TIMEOUT_MS, deps.clock, () => new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`));
  const [database, drive, secrets] = await Promise.all([
    probe(() => limited(deps.status.check())),
    probe(() => limited(deps.drive.check())),
    limited(deps.secrets.check()).catch((error): DependencyCheck => ({ ok: false, source: deps.secrets.source, detail: errorText(error) })),
  ]);
  return { database, drive, secrets };
}

/** `GET /health` (no token): 200 when database, drive and secrets answer, 503 naming what does not. */
export function healthRoutes() {
  return router().openapi(healthRoute, async (c) => {
    const { database, drive, secrets } = await checkDependencies(c.env.deps);
    const ok = database.ok && drive.ok && secrets.ok;
    // 503 carries the same body: a load balancer reads the status, an operator the checks.
    return c.json({ status: ok ? ("ok" as const) : ("degraded" as const), checks: { database, drive, secrets } }, (ok ? 200 : 503) as 200);
  });
}

async function probe(check: () => Promise<void>): Promise<DependencyCheck> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: errorText(error) };
  }
}
