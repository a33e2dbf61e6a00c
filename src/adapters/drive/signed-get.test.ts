/**
 * The signed GetObject in process, over a fetch double: what it sends (a SigV4-signed path-style GET, the key
 * encoded as S3 signs it) and how each answer maps (404 → null, refusals → DRIVE_UNAVAILABLE, too large →
 * OBJECT_TOO_LARGE before the body is read). test/integration/signed-get.test.ts signs against a real S3 server.
 */
import { describe, expect, it } from "vitest";
import { SignedGet, encodeKey } from "./signed-get.js";

function double(answer: (url: string) => Response | Error) {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetchDouble = (async (url: string, init?: RequestInit) => {
    calls.push({ url, headers: init?.headers as Record<string, string> });
    const a = answer(url);
    if (a instanceof Error) throw a;
    return a;
  }) as unknown as typeof fetch;
  const get = new SignedGet({
    endpoint: "http://127.0.0.1:9100",
    region: "us-east-1",
    credentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }),
    fetch: fetchDouble,
  });
  return { get, calls };
}

const ok = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status: 200, headers: { etag: '"abc"', "content-length": String(body.length), "last-modified": "Mon, 30 Nov 2026 05:00:00 GMT", ...headers } });

describe("SignedGet", () => {
  it("sends one signed path-style GET and returns the bytes with the ETag of exactly those bytes", async () => {
    const { get, calls } = double(() => ok("name,value\n"));
    const object = await get.getObject("demo.gbai", "demo.gbot/config.csv", 1024);
    expect(object).toMatchObject({ key: "demo.gbot/config.csv", etag: "abc", size: 11, lastModified: new Date("2026-11-30T05:00:00Z") });
    expect(new TextDecoder().decode(object!.bytes)).toBe("name,value\n");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("http://127.0.0.1:9100/demo.gbai/demo.gbot/config.csv");
    expect(calls[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(calls[0]!.headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
  });

  it("encodes every key byte S3 encodes, keeping the slashes", () => {
    expect(encodeKey("bot.gbdialog/flows/dialog 00 (v2)!*'.bas")).toBe("bot.gbdialog/flows/dialog%2000%20%28v2%29%21%2A%27.bas");
    expect(encodeKey("bot.gbkb/ação/a+b=c&d.md")).toBe("bot.gbkb/a%C3%A7%C3%A3o/a%2Bb%3Dc%26d.md");
  });

  it("answers null for a missing object or bucket", async () => {
    const { get } = double(() => new Response("<Error><Code>NoSuchKey</Code></Error>", { status: 404 }));
    expect(await get.getObject("demo.gbai", "gone.csv", 1024)).toBeNull();
  });

  it("a refusal is DRIVE_UNAVAILABLE (retryable) with the server's code, and a hint for 403", async () => {
    const { get } = double(() => new Response("<Error><Code>SignatureDoesNotMatch</Code></Error>", { status: 403 }));
    await expect(get.getObject("demo.gbai", "a.csv", 1024)).rejects.toMatchObject({
      code: "DRIVE_UNAVAILABLE",
      retryable: true,
      message: "drive request failed: GetObject 403 SignatureDoesNotMatch (check S3_ACCESS_KEY / S3_SECRET_KEY)",
    });
  });

  it("refuses an object that declares more than maxBytes without reading its body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => void (pulled++, c.enqueue(new Uint8Array(10))) }, { highWaterMark: 0 });
    const { get } = double(() => new Response(body, { status: 200, headers: { etag: '"big"', "content-length": "2048" } }));
    await expect(get.getObject("demo.gbai", "a.csv", 1024)).rejects.toMatchObject({ code: "OBJECT_TOO_LARGE", details: { etag: "big", size: 2048, max: 1024 } });
    expect(pulled).toBe(0);
  });

  it("tries once more when the connection fails (a keep-alive socket the server closed), and no more", async () => {
    let n = 0;
    const once = double(() => (n++ === 0 ? new TypeError("fetch failed") : ok("x")));
    expect((await once.get.getObject("demo.gbai", "a.csv", 1024))?.size).toBe(1);
    expect(once.calls).toHaveLength(2);
    const always = double(() => new TypeError("fetch failed"));
    await expect(always.get.getObject("demo.gbai", "a.csv", 1024)).rejects.toThrow("fetch failed");
    expect(always.calls).toHaveLength(2);
  });
});
