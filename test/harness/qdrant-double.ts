/**
 * A Qdrant REST double for the endpoints botsync and the botserver use (docs/botserver-compatibility.md,
 * "Qdrant layout"), answering
 * with Qdrant's envelope `{"result": …, "status": "ok", "time": …}` and its 404 for a missing collection:
 * GET/PUT/DELETE /collections/{name}, PUT /collections/{name}/points, POST …/points/delete (filter with
 * must / must_not `match.value`), POST …/points/search (cosine).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

interface Point {
  id: string;
  vector: number[];
  payload: Record<string, unknown>;
}

export interface QdrantDouble {
  url: string;
  apiKey: string;
  collections: Map<string, { size: number; points: Map<string, Point> }>;
  close(): Promise<void>;
}

type Condition = { key: string; match: { value: unknown } };

function matches(point: Point, filter: { must?: Condition[]; must_not?: Condition[] }): boolean {
  return (
    (filter.must ?? []).every((c) => point.payload[c.key] === c.match.value) &&
    !(filter.must_not ?? []).some((c) => point.payload[c.key] === c.match.value)
  );
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb) || 1);
}

export async function startQdrantDouble(apiKey = "qdrant-test-key"): Promise<QdrantDouble> {
  const collections: QdrantDouble["collections"] = new Map();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const started = performance.now();
      const ok = (result: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ result, status: "ok", time: (performance.now() - started) / 1000 }));
      };
      const fail = (status: number, error: string) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: { error }, time: 0 }));
      };
      if (req.headers["api-key"] !== apiKey) return fail(401, "Must provide an API key or an Authorization bearer token");
      const url = new URL(req.url ?? "/", "http://qdrant");
      const match = /^\/collections\/([^/]+)(\/points(?:\/(delete|search))?)?$/.exec(url.pathname);
      if (!match) return fail(404, "Not found");
      const name = decodeURIComponent(match[1]!);
      const body = raw ? JSON.parse(raw) : {};
      const collection = collections.get(name);
      const missing = () => fail(404, `Not found: Collection \`${name}\` doesn't exist!`);
      if (!match[2]) {
        if (req.method === "GET") {
          if (!collection) return missing();
          return ok({ status: "green", points_count: collection.points.size, config: { params: { vectors: { size: collection.size, distance: "Cosine" } } } });
        }
        if (req.method === "PUT") {
          collections.set(name, { size: body.vectors.size, points: new Map() });
          return ok(true);
        }
        if (req.method === "DELETE") return ok(collections.delete(name));
      }
      if (!collection) return missing();
      if (match[3] === undefined && req.method === "PUT") {
        for (const p of body.points as Point[]) {
          if (p.vector.length !== collection.size) return fail(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${p.vector.length}`);
          collection.points.set(p.id, p);
        }
        return ok({ operation_id: 1, status: "completed" });
      }
      if (match[3] === "delete") {
        for (const [id, p] of collection.points) if (matches(p, body.filter ?? {})) collection.points.delete(id);
        return ok({ operation_id: 2, status: "completed" });
      }
      if (match[3] === "search") {
        const hits = [...collection.points.values()]
          .map((p) => ({ id: p.id, version: 1, score: cosine(p.vector, body.vector), payload: p.payload }))
          .sort((a, b) => b.score - a.score)
          .slice(0, body.limit ?? 10);
        return ok(hits);
      }
      fail(404, "Not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, apiKey, collections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
