/**
 * ≥ 10,000 generated and mutated webhook bodies through the real app and database: every answer is a 4xx
 * or a 2xx, never a 5xx; a rejected body records nothing; an accepted one records exactly its records.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/handlers/app.js";
import { fixture } from "../harness/fixtures.js";
import { prng } from "../harness/prng.js";
import { startStack, WEBHOOK_TOKEN, type Stack } from "../harness/stack.js";

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const fixtures = readdirSync(join(import.meta.dirname, "..", "..", "webhooks", "fixtures"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => fixture(f.replace(/\.json$/, "")));

const rnd = prng(0x5eed);
const NASTY_STRINGS = [
  "", " ", "%", "%ZZ", "%E0%A4%A", "%C0%AF", "..%2F..%2Fetc%2Fpasswd", "%2F", "+", "a%00b", "\u0000", "\ud800", "x".repeat(70_000),
  "fuzz.gbai", "Fuzz_Bad.gbai", "demo.gbai", "s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete", "ObjectCreated:Copy", "s3:ObjectCreated:PutTagging",
  "demo.gbot%2Fconfig.csv", "demo.gbdialog%2F..%2Fx.bas", "%2Fabs", "a%5Cb", "ffffffffffffffffffff", "-1", "1e999",
];
const randomValue = (depth = 0): unknown => {
  switch (rnd.int(depth > 3 ? 6 : 9)) {
    case 0: return null;
    case 1: return rnd.int(2) === 0;
    case 2: return rnd.pick([0, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e300]);
    case 3: return rnd.pick(NASTY_STRINGS);
    case 4: return String.fromCharCode(...Array.from({ length: rnd.int(20) }, () => rnd.int(0x3000)));
    case 5: return rnd.pick(NASTY_STRINGS) + rnd.pick(NASTY_STRINGS);
    case 6: return Array.from({ length: rnd.int(4) }, () => randomValue(depth + 1));
    case 7: return Object.fromEntries(Array.from({ length: rnd.int(4) }, () => [rnd.pick(["Records", "s3", "key", "eTag", "x"]), randomValue(depth + 1)]));
    default: return structuredClone(rnd.pick(fixtures));
  }
};

/** Replaces, deletes or retypes one random leaf of a valid body. */
function mutate(body: any): any {
  const copy = structuredClone(body);
  const times = 1 + rnd.int(3);
  for (let i = 0; i < times; i++) {
    let node = copy;
    const path: Array<string | number> = [];
    while (node && typeof node === "object" && rnd.int(5) !== 0) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const k = rnd.pick(keys);
      path.push(Array.isArray(node) ? Number(k) : k);
      if (typeof node[k] !== "object" || node[k] === null) break;
      node = node[k];
    }
    if (path.length === 0) continue;
    let parent = copy;
    for (const p of path.slice(0, -1)) parent = parent[p];
    const last = path[path.length - 1]!;
    const action = rnd.int(4);
    if (action === 0) delete parent[last];
    else if (action === 1 && Array.isArray(parent)) parent.push(structuredClone(parent[0]));
    else parent[last] = randomValue();
  }
  return copy;
}

function deep(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

function generate(i: number): { body: BodyInit; label: string } {
  switch (i % 8) {
    case 0: return { body: JSON.stringify(randomValue()), label: "random value" };
    case 1: case 2: case 3: return { body: JSON.stringify(mutate(rnd.pick(fixtures))), label: "mutated fixture" };
    case 4: {
      const bytes = new TextEncoder().encode(JSON.stringify(rnd.pick(fixtures)));
      for (let k = 0; k < 1 + rnd.int(4); k++) bytes[rnd.int(bytes.length)] = rnd.pick([0xff, 0xc0, 0x80, 0x00, 0x22, 0x5c]);
      return { body: bytes, label: "corrupted bytes" };
    }
    case 5: {
      const text = JSON.stringify(rnd.pick(fixtures));
      return { body: text.slice(0, rnd.int(text.length)), label: "truncated" };
    }
    case 6: return { body: rnd.int(2) ? deep(1 + rnd.int(50_000)) : `{"Records":${deep(1 + rnd.int(5_000))}}`, label: "deep nesting" };
    default: {
      const body = structuredClone(rnd.pick(fixtures));
      if (Array.isArray(body.Records)) body.Records = Array.from({ length: rnd.pick([0, 2, 3, 1001]) }, () => body.Records[0]);
      return { body: JSON.stringify(body), label: "record counts" };
    }
  }
}

async function eventCount(): Promise<number> {
  const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from botsync_events`;
  return row!.n;
}

describe("webhook fuzz", () => {
  it(`${CASES} hostile bodies: 4xx or 2xx, never 5xx; rejects record nothing`, { timeout: 240_000 }, async () => {
    const app = createApp();
    // Jobs are not what is fuzzed here; without them every request is measured against ingest alone.
    await stack.service.botsync.lanes.stop();
    const deps = { ...stack.service.botsync.deps, onQueued: () => {} };
    const statuses = new Map<number, number>();
    let events = await eventCount();
    for (let i = 0; i < CASES; i++) {
      const { body, label } = generate(i);
      const res = await app.fetch(
        new Request("http://botsync/webhooks/minio", { method: "POST", headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, "content-type": "application/json" }, body }),
        { deps },
      );
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const answer = (await res.json()) as any;
      if (res.status >= 500 || ![200, 400, 413].includes(res.status)) {
        throw new Error(`case ${i} (${label}) answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      }
      // Counting after every request would make this a database benchmark; every 10th is checked exactly.
      if (i % 10 === 0 || res.status === 200) {
        const now = await eventCount();
        const expected = res.status === 200 ? answer.received : 0;
        if (now - events !== expected) throw new Error(`case ${i} (${label}): ${res.status} recorded ${now - events} events, expected ${expected}`);
        events = now;
      }
    }
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400]));
    expect((statuses.get(400) ?? 0) + (statuses.get(200) ?? 0) + (statuses.get(413) ?? 0)).toBe(CASES);
  });
});
