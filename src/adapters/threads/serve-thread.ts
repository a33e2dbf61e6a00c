import { parentPort } from "node:worker_threads";
import type { ThreadReply } from "./worker-pool.js";

/** The thread side of a WorkerPool: answers each request with `handle`'s result or its error code. */
export function serveThread<Request, Result>(handle: (request: Request) => Result | Promise<Result>, failureCode: string): void {
  const port = parentPort;
  if (!port) throw new Error("serveThread runs only inside a worker thread");
  port.on("message", async ({ id, request }: { id: number; request: Request }) => {
    let reply: ThreadReply<Result>;
    try {
      reply = { id, ok: true, value: await handle(request) };
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      reply = { id, ok: false, code: (typeof code === "string" ? code : failureCode) as never, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}
