import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { BotsyncError } from "../../../core/errors.js";

/**
 * Refuses a request body larger than `maxBytes` with PAYLOAD_TOO_LARGE (413) while it streams in — by
 * Content-Length when one is sent, by counting otherwise — so an oversized body is never buffered.
 */
export function limitBody(maxBytes: number | ((path: string) => number)): MiddlewareHandler {
  return (c, next) => {
    const maxSize = typeof maxBytes === "function" ? maxBytes(c.req.path) : maxBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new BotsyncError("PAYLOAD_TOO_LARGE", `request body is larger than ${maxSize} bytes`);
      },
    })(c, next);
  };
}
