import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { BotsyncError, type ErrorCode } from "../../core/errors.js";
import type { AppEnv } from "../app-deps.js";

/**
 * A router whose routes validate their requests against their schemas: any failure is a BotsyncError
 * (400 by default) naming the field and what is wrong with it, through the one error mapping of the app.
 */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalidRequest });
}

const rejectInvalidRequest: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issue = result.error.issues[0]!;
  // A schema may name a more precise code than BAD_REQUEST (an invalid bot name is INVALID_BOT_NAME).
  const code = ((issue as { params?: { code?: ErrorCode } }).params?.code ?? "BAD_REQUEST") as ErrorCode;
  const where = issue.path.length > 0 ? issue.path.join(".") : result.target === "json" ? "body" : result.target;
  throw new BotsyncError(code, `${where}: ${issue.message}`);
};
