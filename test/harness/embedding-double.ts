/**
 * An OpenAI-compatible embedding server double: `POST /v1/embeddings` with `{"input": [...], "model": …}`
 * answers `{"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],"model":…,"usage":…}`
 * like the real API. Vectors are a deterministic bag of hashed words, so texts sharing words are close —
 * enough to check ranking end to end. It can be made slow or failing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface EmbeddingDouble {
  url: string;
  requests: Array<{ model: string; inputs: number; authorization?: string }>;
  /** answer the next n requests with this status */
  failNext(n: number, status?: number): void;
  delayMs: number;
  close(): Promise<void>;
}

export function embedText(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** `apiKey`: like the hosted APIs, answer 401 unless `Authorization: Bearer {apiKey}` is sent. */
export async function startEmbeddingDouble(options: { dimensions: number; apiKey?: string }): Promise<EmbeddingDouble> {
  let failures: { n: number; status: number } = { n: 0, status: 503 };
  const state = {
    requests: [] as EmbeddingDouble["requests"],
    delayMs: 0,
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return send(404, { error: { message: "not found", type: "invalid_request_error" } });
      const parsed = JSON.parse(body) as { input: string[] | string; model: string };
      const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
      state.requests.push({ model: parsed.model, inputs: inputs.length, authorization: req.headers.authorization });
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
      }
      if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      if (failures.n > 0) {
        failures.n--;
        return send(failures.status, { error: { message: "overloaded", type: "server_error" } });
      }
      send(200, {
        object: "list",
        data: inputs.map((text, index) => ({ object: "embedding", index, embedding: embedText(text, options.dimensions) })),
        model: parsed.model,
        usage: { prompt_tokens: inputs.join(" ").length, total_tokens: inputs.join(" ").length },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/embeddings`,
    get requests() {
      return state.requests;
    },
    failNext(n, status = 503) {
      failures = { n, status };
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
