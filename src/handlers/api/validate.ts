import { DIALOG_MAX_BYTES } from "../../core/dialogs/dialog-object-job.js";
import { jsonRoute } from "../http/json-route.js";
import { router } from "../http/router.js";
import * as s from "./schemas.js";

/** a dialog's size limit plus room for the JSON envelope */
export const VALIDATE_MAX_BODY_BYTES = DIALOG_MAX_BYTES + 64 * 1024;

export const validateRoute = jsonRoute({
  method: "post",
  path: "/api/validate",
  summary: "Validate a .bas or config.csv before uploading it: the diagnostics and the would-be artifacts",
  auth: "api",
  tags: ["validate"],
  request: { body: { content: { "application/json": { schema: s.validateBody } }, required: true } },
  response: s.validation,
  errors: [400, 413, 415, 503],
  maxBodyBytes: VALIDATE_MAX_BODY_BYTES,
});

export function validateRoutes() {
  return router().openapi(validateRoute, async (c) => {
    const { kind, name, text } = c.req.valid("json");
    const result = await c.env.deps.validator.validate({ kind, name: name ?? (kind === "bas" ? "script" : "config"), text });
    return c.json(result, 200);
  });
}
