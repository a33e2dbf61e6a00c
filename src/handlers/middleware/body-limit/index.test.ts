import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { errorResponse } from "../../http/error-response.js";
import { memoryLogger } from "../../../../test/harness/app-fakes.js";
import { limitBody } from "./index.js";

function app(limit: Parameters<typeof limitBody>[0]) {
  const hono = new Hono();
  const log = memoryLogger();
  hono.use("*", limitBody(limit));
  hono.post("*", async (c) => c.text(`read ${(await c.req.text()).length}`));
  hono.onError((error, c) => errorResponse(c, error, log));
  return hono;
}

/** A body without Content-Length, so the limit has to count what streams in. */
function streamed(bytes: number): RequestInit {
  const chunk = new Uint8Array(1024).fill(97);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += part.length;
      controller.enqueue(part);
    },
  });
  return { method: "POST", body, duplex: "half" } as RequestInit;
}

describe("limitBody middleware", () => {
  it("passes a body at the limit and refuses one byte more with 413, by length and by counting", async () => {
    const hono = app(4096);
    expect(await (await hono.request("/x", { method: "POST", body: "a".repeat(4096) })).text()).toBe("read 4096");
    const declared = await hono.request("/x", { method: "POST", body: "a".repeat(4097) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "request body is larger than 4096 bytes" } });
    expect(await (await hono.request("/x", streamed(4096))).text()).toBe("read 4096");
    expect((await hono.request("/x", streamed(64 * 1024))).status).toBe(413);
  });

  it("takes the limit per path", async () => {
    const hono = app((path) => (path === "/big" ? 10_000 : 100));
    expect((await hono.request("/big", { method: "POST", body: "a".repeat(5000) })).status).toBe(200);
    expect((await hono.request("/small", { method: "POST", body: "a".repeat(5000) })).status).toBe(413);
  });
});
