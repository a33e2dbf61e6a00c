/** ≥ 10,000 generated and mutated config.csv files: a result or CONFIG_INVALID_UTF8, nothing else, ever. */
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";
import { parseConfigCsv } from "../../src/core/config/parse-config-csv.js";
import { prng } from "../harness/prng.js";

const rnd = prng(0xc0ff1e);
const BASE = new TextEncoder().encode(
  ["\ufeffname,value", "# comment", "Bot Name,Demo", 'Welcome,"Hi, ""you"""', "llm-key,sk-1", "", "x", ",y", "dup,1", "dup,2", "k,\r", 'q,"open'].join("\r\n"),
);
const PIECES = [",", '"', '""', "\r", "\n", "\r\n", "#", " ", "\t", "\u0000", "\ufeff", "name,value", "é", "😀", "\\", "k,v"];

function generate(i: number): Uint8Array {
  switch (i % 4) {
    case 0:
      return Uint8Array.from({ length: rnd.int(300) }, () => rnd.int(256));
    case 1: {
      const bytes = BASE.slice();
      for (let k = 0; k < 1 + rnd.int(6); k++) bytes[rnd.int(bytes.length)] = rnd.int(256);
      return bytes;
    }
    case 2:
      return new TextEncoder().encode(Array.from({ length: rnd.int(200) }, () => rnd.pick(PIECES)).join(""));
    default: {
      const text = new TextDecoder().decode(BASE);
      const cut = rnd.int(text.length);
      return new TextEncoder().encode(text.slice(0, cut) + rnd.pick(PIECES).repeat(rnd.int(5000)) + text.slice(cut));
    }
  }
}

describe("config.csv parser fuzz", () => {
  it("10,000 hostile files: entries or CONFIG_INVALID_UTF8; every diagnostic points at a real line", () => {
    let invalid = 0;
    for (let i = 0; i < 10_000; i++) {
      const input = generate(i);
      let parsed;
      try {
        parsed = parseConfigCsv(input);
      } catch (error) {
        if (!(error instanceof BotsyncError) || error.code !== "CONFIG_INVALID_UTF8") throw new Error(`case ${i}: unexpected ${String(error)}`);
        invalid++;
        continue;
      }
      const lines = new TextDecoder().decode(input).split("\n").length;
      for (const entry of parsed.entries) {
        if (entry.key === "" || /[\r\n]/.test(entry.key) || /\n/.test(entry.value)) throw new Error(`case ${i}: bad entry ${JSON.stringify(entry)}`);
        if (entry.line < 1 || entry.line > lines) throw new Error(`case ${i}: entry line ${entry.line} of ${lines}`);
      }
      for (const d of parsed.diagnostics) {
        if (d.line < 1 || d.line > lines || d.message === "") throw new Error(`case ${i}: bad diagnostic ${JSON.stringify(d)}`);
      }
      expect(new Set(parsed.entries.map((e) => e.key)).size).toBe(parsed.entries.length);
    }
    // the generators do produce both outcomes
    expect(invalid).toBeGreaterThan(1000);
    expect(invalid).toBeLessThan(9000);
  });
});
