import type { MiddlewareHandler } from "hono";
import { BotsyncError } from "../../../core/errors.js";

export interface ConcurrencyLimit {
  /** requests inside the handler at once */
  running: number;
  /** requests waiting their turn at most; one more is refused with 503 SERVICE_BUSY and Retry-After */
  waiting: number;
  retryAfterS: number;
}

/**
 * At most `running` requests of a route in its handler at once; the others wait their turn in arrival order,
 * holding only their connection: their bodies are not read yet and none of their statements is queued in
 * the database driver, where a burst of connections otherwise piled up (memory) and made the pool's own
 * queue long. A 503 only beyond `waiting`, far above any burst MinIO sends: every 503 is an event it must
 * deliver again.
 */
export function limitConcurrency(limit: ConcurrencyLimit): MiddlewareHandler {
  let running = 0;
  const queue: Array<() => void> = [];
  return async (c, next) => {
    if (running < limit.running) running++;
    else if (queue.length < limit.waiting) await new Promise<void>((resolve) => queue.push(resolve));
    else {
      c.header("Retry-After", String(limit.retryAfterS));
      throw new BotsyncError("SERVICE_BUSY", `${running} requests are being handled and ${queue.length} are waiting; try again shortly`, { retryable: true });
    }
    try {
      await next();
    } finally {
      // the place passes straight to the next in line, so a newcomer cannot overtake it
      const nextInLine = queue.shift();
      if (nextInLine) nextInLine();
      else running--;
    }
  };
}
