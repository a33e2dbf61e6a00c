import { describe, it, expect } from "vitest";
import { parseConfigCsv } from "../../src/core/config/parse-config-csv.js";
import { inferConfigType } from "../../src/core/config/config-type.js";
import { BotsyncError } from "../../src/core/errors.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: Array<string | number[]>): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") out.push(...utf8(p));
    else out.push(...p);
  }
  return Uint8Array.from(out);
};
/** key → value, for compact assertions. */
const kv = (input: Uint8Array | string): Record<string, string> =>
  Object.fromEntries(parseConfigCsv(input).entries.map((e) => [e.key, e.value]));

function thrown(fn: () => unknown): BotsyncError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BotsyncError);
    return e as BotsyncError;
  }
  throw new Error("expected a throw");
}

describe("inferConfigType", () => {
  it.each([
    ["true", "boolean"],
    ["false", "boolean"],
    ["TRUE", "boolean"],
    ["False", "boolean"],
    ["tRuE", "boolean"],
    ["0", "number"],
    ["42", "number"],
    ["-7", "number"],
    ["0.7", "number"],
    ["-0.25", "number"],
    ["3.14159", "number"],
    ["1e3", "number"],
    ["2.5E-4", "number"],
    ["6e+2", "number"],
    ["007", "number"],
    ["8192", "number"],
  ] as const)("%j → %s", (value, type) => {
    expect(inferConfigType(value)).toBe(type);
  });

  it.each([
    "",
    "yes",
    "no",
    "on",
    "truee",
    "true ",
    "0x1F",
    "1,000",
    "+1",
    "+55 11 99999-0000",
    "Infinity",
    "-Infinity",
    "NaN",
    "1.",
    ".5",
    "1e",
    "1e999",
    "1.2.3",
    "--1",
    "-",
    " 1",
    "12px",
    "#0078d4",
    "gpt-4o",
    "http://localhost:8081/v1",
  ])("%j → string", (value) => {
    expect(inferConfigType(value)).toBe("string");
  });
});

describe("parseConfigCsv: basics", () => {
  it("parses key,value lines with 1-based line numbers and inferred types", () => {
    expect(parseConfigCsv("a,1\nb,hello\nc,true\n")).toEqual({
      entries: [
        { key: "a", value: "1", type: "number", line: 1 },
        { key: "b", value: "hello", type: "string", line: 2 },
        { key: "c", value: "true", type: "boolean", line: 3 },
      ],
      diagnostics: [],
    });
  });

  it("accepts a Uint8Array and a string alike", () => {
    const expected = { entries: [{ key: "k", value: "v", type: "string", line: 1 }], diagnostics: [] };
    expect(parseConfigCsv(utf8("k,v"))).toEqual(expected);
    expect(parseConfigCsv("k,v")).toEqual(expected);
  });

  it("returns nothing for empty input, whitespace only, or comments only", () => {
    expect(parseConfigCsv("")).toEqual({ entries: [], diagnostics: [] });
    expect(parseConfigCsv(new Uint8Array())).toEqual({ entries: [], diagnostics: [] });
    expect(parseConfigCsv("\n\n  \n\t\n")).toEqual({ entries: [], diagnostics: [] });
    expect(parseConfigCsv("# only a comment\n#another,with,commas\n")).toEqual({ entries: [], diagnostics: [] });
  });

  it("handles a last line without a trailing newline", () => {
    expect(parseConfigCsv("a,1\nb,2")).toEqual({
      entries: [
        { key: "a", value: "1", type: "number", line: 1 },
        { key: "b", value: "2", type: "number", line: 2 },
      ],
      diagnostics: [],
    });
  });

  it("decodes multi-byte UTF-8 in keys and values", () => {
    expect(parseConfigCsv(utf8("Mensagem de Boas-vindas,Olá! Como posso ajudar? 😀\n"))).toEqual({
      entries: [{ key: "Mensagem de Boas-vindas", value: "Olá! Como posso ajudar? 😀", type: "string", line: 1 }],
      diagnostics: [],
    });
  });
});

describe("parseConfigCsv: BOM", () => {
  it("ignores a leading UTF-8 BOM in bytes (and it does not shift line numbers)", () => {
    expect(parseConfigCsv(bytes([0xef, 0xbb, 0xbf], "name,value\nllm-model,gpt-4o\n"))).toEqual({
      entries: [{ key: "llm-model", value: "gpt-4o", type: "string", line: 2 }],
      diagnostics: [],
    });
  });

  it("a BOM before a data first line does not end up in the key", () => {
    const parsed = parseConfigCsv(bytes([0xef, 0xbb, 0xbf], "Bot Name,Ana\n"));
    expect(parsed.entries).toEqual([{ key: "Bot Name", value: "Ana", type: "string", line: 1 }]);
  });

  it("ignores a leading U+FEFF in string input", () => {
    expect(parseConfigCsv("\uFEFFa,1")).toEqual({
      entries: [{ key: "a", value: "1", type: "number", line: 1 }],
      diagnostics: [],
    });
  });
});

describe("parseConfigCsv: line endings", () => {
  const expected = {
    entries: [
      { key: "a", value: "1", type: "number", line: 1 },
      { key: "b", value: "two", type: "string", line: 2 },
      { key: "c", value: "false", type: "boolean", line: 3 },
    ],
    diagnostics: [],
  };

  it("LF", () => {
    expect(parseConfigCsv("a,1\nb,two\nc,false\n")).toEqual(expected);
  });

  it("CRLF (no \\r left in values)", () => {
    expect(parseConfigCsv("a,1\r\nb,two\r\nc,false\r\n")).toEqual(expected);
  });

  it("mixed LF and CRLF, and a lone trailing \\r at end of file", () => {
    expect(parseConfigCsv("a,1\r\nb,two\nc,false\r")).toEqual(expected);
  });

  it("CRLF blank lines count as lines", () => {
    expect(parseConfigCsv("\r\n\r\na,x\r\n").entries).toEqual([{ key: "a", value: "x", type: "string", line: 3 }]);
  });
});

describe("parseConfigCsv: header", () => {
  it.each(["name,value", "key,value", "Name,Value", "KEY,VALUE", "NAME,value", "name , value", "  key ,  Value  "])(
    "%j as the first line is a header",
    (header) => {
      expect(parseConfigCsv(`${header}\nllm-url,http://localhost:8081\n`)).toEqual({
        entries: [{ key: "llm-url", value: "http://localhost:8081", type: "string", line: 2 }],
        diagnostics: [],
      });
    },
  );

  it("the header may come after blank lines and comments", () => {
    expect(parseConfigCsv("\n# Bot config\n\nname,value\nx,1\n")).toEqual({
      entries: [{ key: "x", value: "1", type: "number", line: 5 }],
      diagnostics: [],
    });
  });

  it("`name,My Bot` as the first line is data, not a header", () => {
    expect(parseConfigCsv("name,My Bot\nx,1\n")).toEqual({
      entries: [
        { key: "name", value: "My Bot", type: "string", line: 1 },
        { key: "x", value: "1", type: "number", line: 2 },
      ],
      diagnostics: [],
    });
  });

  it.each([
    ["key,values", "key", "values"],
    ["keys,value", "keys", "value"],
    ["name,value,extra", "name", "value,extra"],
    ["header,value", "header", "value"],
    ["Name,Val", "Name", "Val"],
  ])("%j as the first line is data", (line, key, value) => {
    expect(parseConfigCsv(`${line}\n`).entries).toEqual([{ key, value, type: "string", line: 1 }]);
  });

  it("a quoted header is not a header", () => {
    expect(parseConfigCsv('name,"value"\n').entries).toEqual([{ key: "name", value: "value", type: "string", line: 1 }]);
  });

  it("only the FIRST content line can be a header: a later `name,value` is data", () => {
    expect(parseConfigCsv("a,1\nname,value\n")).toEqual({
      entries: [
        { key: "a", value: "1", type: "number", line: 1 },
        { key: "name", value: "value", type: "string", line: 2 },
      ],
      diagnostics: [],
    });
  });

  it("a second header line after the header is data too", () => {
    expect(parseConfigCsv("name,value\nkey,value\n").entries).toEqual([
      { key: "key", value: "value", type: "string", line: 2 },
    ]);
  });

  it("a first line without a comma uses up the header slot", () => {
    expect(parseConfigCsv("config\nname,value\n")).toEqual({
      entries: [{ key: "name", value: "value", type: "string", line: 2 }],
      diagnostics: [{ line: 1, code: "missing-comma", message: 'line 1: no comma; expected "key,value" (got "config")' }],
    });
  });
});

describe("parseConfigCsv: comments and blank lines", () => {
  it("skips # lines (also indented, also with commas) and blank/whitespace-only lines", () => {
    const input = ["# Server settings", "", "a,1", "   ", "  # indented, comment", "\t", "#x,y", "b,2", ""].join("\n");
    expect(parseConfigCsv(input)).toEqual({
      entries: [
        { key: "a", value: "1", type: "number", line: 3 },
        { key: "b", value: "2", type: "number", line: 8 },
      ],
      diagnostics: [],
    });
  });

  it("a # inside a value is kept (only a leading # starts a comment)", () => {
    expect(kv("theme-color1,#0078d4\nnote,a # b\n")).toEqual({ "theme-color1": "#0078d4", note: "a # b" });
  });
});

describe("parseConfigCsv: keys and values", () => {
  it("value is everything after the first comma, commas included", () => {
    expect(parseConfigCsv("greeting,Hello, world, how are you?\nlist,a,b,,c,\n").entries).toEqual([
      { key: "greeting", value: "Hello, world, how are you?", type: "string", line: 1 },
      { key: "list", value: "a,b,,c,", type: "string", line: 2 },
    ]);
  });

  it("trims key and value but keeps the key's case and inner spaces", () => {
    expect(parseConfigCsv("  Bot Name  ,   My  Bot  \nWelcome Message,Hi\nllm-Model,X\n").entries).toEqual([
      { key: "Bot Name", value: "My  Bot", type: "string", line: 1 },
      { key: "Welcome Message", value: "Hi", type: "string", line: 2 },
      { key: "llm-Model", value: "X", type: "string", line: 3 },
    ]);
  });

  it("keys differing only in case are different keys", () => {
    expect(parseConfigCsv("Theme,dark\ntheme,light\n")).toEqual({
      entries: [
        { key: "Theme", value: "dark", type: "string", line: 1 },
        { key: "theme", value: "light", type: "string", line: 2 },
      ],
      diagnostics: [],
    });
  });

  it("an empty value is stored as the empty string", () => {
    expect(parseConfigCsv("a,\nb,   \nc,\r\n")).toEqual({
      entries: [
        { key: "a", value: "", type: "string", line: 1 },
        { key: "b", value: "", type: "string", line: 2 },
        { key: "c", value: "", type: "string", line: 3 },
      ],
      diagnostics: [],
    });
  });

  it("a lone \\r in the middle of a line is not a line break", () => {
    expect(parseConfigCsv("a,x\ry\n").entries).toEqual([{ key: "a", value: "x\ry", type: "string", line: 1 }]);
  });
});

describe("parseConfigCsv: quoting", () => {
  it("unwraps a value wrapped in double quotes and keeps its inner spaces and commas", () => {
    expect(parseConfigCsv('a,"hello"\nb," padded "\nc,"x, y"\nd,""\n')).toEqual({
      entries: [
        { key: "a", value: "hello", type: "string", line: 1 },
        { key: "b", value: " padded ", type: "string", line: 2 },
        { key: "c", value: "x, y", type: "string", line: 3 },
        { key: "d", value: "", type: "string", line: 4 },
      ],
      diagnostics: [],
    });
  });

  it('turns "" inside a quoted value into "', () => {
    expect(kv('prompt,"Say ""hi"" to the user"\nq,""""\n')).toEqual({ prompt: 'Say "hi" to the user', q: '"' });
  });

  it("infers the type from the unquoted value", () => {
    expect(parseConfigCsv('n,"42"\nb,"true"\n').entries).toEqual([
      { key: "n", value: "42", type: "number", line: 1 },
      { key: "b", value: "true", type: "boolean", line: 2 },
    ]);
  });

  it("quotes that do not wrap the whole value stay literal", () => {
    expect(parseConfigCsv('a,say "hi"\nb,5" screen\nc,He said "x" ok\n')).toEqual({
      entries: [
        { key: "a", value: 'say "hi"', type: "string", line: 1 },
        { key: "b", value: '5" screen', type: "string", line: 2 },
        { key: "c", value: 'He said "x" ok', type: "string", line: 3 },
      ],
      diagnostics: [],
    });
  });

  it("keys are never unquoted", () => {
    expect(parseConfigCsv('"Bot Name",Ana\n').entries).toEqual([{ key: '"Bot Name"', value: "Ana", type: "string", line: 1 }]);
  });

  it("an unterminated quote keeps the value literally, applies it, and reports it without the value", () => {
    const parsed = parseConfigCsv('ok,1\napi-secret,"s3cr3t-abc\nlone,"\n');
    expect(parsed).toEqual({
      entries: [
        { key: "ok", value: "1", type: "number", line: 1 },
        { key: "api-secret", value: '"s3cr3t-abc', type: "string", line: 2 },
        { key: "lone", value: '"', type: "string", line: 3 },
      ],
      diagnostics: [
        {
          line: 2,
          code: "unterminated-quote",
          message: 'line 2: the value of "api-secret" starts with a double quote but does not end with one; kept as written',
        },
        {
          line: 3,
          code: "unterminated-quote",
          message: 'line 3: the value of "lone" starts with a double quote but does not end with one; kept as written',
        },
      ],
    });
    expect(parsed.diagnostics[0]!.message).not.toContain("s3cr3t");
  });
});

describe("parseConfigCsv: diagnostics", () => {
  it("a line without a comma is skipped with a missing-comma diagnostic and an excerpt", () => {
    expect(parseConfigCsv("a,1\nfoo bar\nb,2\n")).toEqual({
      entries: [
        { key: "a", value: "1", type: "number", line: 1 },
        { key: "b", value: "2", type: "number", line: 3 },
      ],
      diagnostics: [{ line: 2, code: "missing-comma", message: 'line 2: no comma; expected "key,value" (got "foo bar")' }],
    });
  });

  it("caps the missing-comma excerpt at 40 characters including the ellipsis", () => {
    const long = "this line is far too long to be shown in full in a message";
    expect(parseConfigCsv(`a,1\n${long}\n`).diagnostics).toEqual([
      {
        line: 2,
        code: "missing-comma",
        message: 'line 2: no comma; expected "key,value" (got "this line is far too long to be shown i…")',
      },
    ]);
  });

  it("an excerpt of exactly 40 characters is shown whole", () => {
    const forty = "x".repeat(40);
    expect(parseConfigCsv(forty).diagnostics[0]!.message).toBe(`line 1: no comma; expected "key,value" (got "${forty}")`);
  });

  it("the excerpt never cuts an astral character in half", () => {
    const line = "😀".repeat(45);
    expect(parseConfigCsv(line).diagnostics[0]!.message).toBe(
      `line 1: no comma; expected "key,value" (got "${"😀".repeat(39)}…")`,
    );
  });

  it("escapes quotes and control characters in the excerpt", () => {
    expect(parseConfigCsv('say "hi"\tnow').diagnostics[0]!.message).toBe(
      'line 1: no comma; expected "key,value" (got "say \\"hi\\"\\tnow")',
    );
  });

  it("an empty key is skipped with an empty-key diagnostic that does not show the value", () => {
    expect(parseConfigCsv("a,1\n,orphan-secret\n   ,x\nb,2\n")).toEqual({
      entries: [
        { key: "a", value: "1", type: "number", line: 1 },
        { key: "b", value: "2", type: "number", line: 4 },
      ],
      diagnostics: [
        { line: 2, code: "empty-key", message: "line 2: empty key before the comma; line skipped" },
        { line: 3, code: "empty-key", message: "line 3: empty key before the comma; line skipped" },
      ],
    });
  });

  it("a lone comma is an empty key", () => {
    expect(parseConfigCsv(",\n")).toEqual({
      entries: [],
      diagnostics: [{ line: 1, code: "empty-key", message: "line 1: empty key before the comma; line skipped" }],
    });
  });

  it("duplicate keys: the last wins, keeps its own line and position, and both lines are named (no values)", () => {
    const parsed = parseConfigCsv("llm-key,old-secret\nother,x\nllm-key,new-secret\nlast,y\n");
    expect(parsed).toEqual({
      entries: [
        { key: "other", value: "x", type: "string", line: 2 },
        { key: "llm-key", value: "new-secret", type: "string", line: 3 },
        { key: "last", value: "y", type: "string", line: 4 },
      ],
      diagnostics: [
        {
          line: 3,
          code: "duplicate-key",
          message: 'line 3: duplicate key "llm-key" (also set on line 1); the value on line 3 wins',
        },
      ],
    });
    expect(parsed.diagnostics[0]!.message).not.toMatch(/old-secret|new-secret/);
  });

  it("a key set three times reports each repeat against the previous occurrence", () => {
    expect(parseConfigCsv("k,1\nk,2\n\nk,3\n")).toEqual({
      entries: [{ key: "k", value: "3", type: "number", line: 4 }],
      diagnostics: [
        { line: 2, code: "duplicate-key", message: 'line 2: duplicate key "k" (also set on line 1); the value on line 2 wins' },
        { line: 4, code: "duplicate-key", message: 'line 4: duplicate key "k" (also set on line 2); the value on line 4 wins' },
      ],
    });
  });

  it("a duplicate may change the type", () => {
    expect(parseConfigCsv("k,1\nk,true\n").entries).toEqual([{ key: "k", value: "true", type: "boolean", line: 2 }]);
  });

  it("diagnostics come out in line order, mixed kinds", () => {
    const parsed = parseConfigCsv('no comma here\n,x\na,"open\na,2\n');
    expect(parsed.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [1, "missing-comma"],
      [2, "empty-key"],
      [3, "unterminated-quote"],
      [4, "duplicate-key"],
    ]);
    expect(parsed.entries).toEqual([{ key: "a", value: "2", type: "number", line: 4 }]);
  });
});

describe("parseConfigCsv: invalid UTF-8", () => {
  it("names line 2 and byte offset 6 for a,b\\nc,\\xff\\n", () => {
    const err = thrown(() => parseConfigCsv(bytes("a,b\nc,", [0xff], "\n")));
    expect(err.code).toBe("CONFIG_INVALID_UTF8");
    expect(err.message).toBe(
      "config.csv is not valid UTF-8: invalid byte sequence at line 2, byte offset 6 (byte 0xff); save the file as UTF-8",
    );
    expect(err.details).toEqual({ line: 2, offset: 6 });
    expect(err.retryable).toBe(false);
  });

  it("Latin-1 é (0xe9) on line 3, with CRLF endings", () => {
    // "a,1\r\n" = 5 bytes, "b,2\r\n" = 5 bytes, then "caf" → 0xe9 at offset 13
    const err = thrown(() => parseConfigCsv(bytes("a,1\r\nb,2\r\ncaf", [0xe9], ",x\r\n")));
    expect(err.details).toEqual({ line: 3, offset: 13 });
    expect(err.message).toContain("line 3, byte offset 13 (byte 0xe9)");
  });

  it("offsets count the BOM", () => {
    const err = thrown(() => parseConfigCsv(bytes([0xef, 0xbb, 0xbf], "a,", [0x80])));
    expect(err.details).toEqual({ line: 1, offset: 5 });
  });

  it.each([
    ["stray continuation byte", [0x80], 2],
    ["overlong 2-byte (C0 AF)", [0xc0, 0xaf], 2],
    ["overlong 2-byte (C1 BF)", [0xc1, 0xbf], 2],
    ["overlong 3-byte (E0 80 AF)", [0xe0, 0x80, 0xaf], 2],
    ["surrogate (ED A0 80)", [0xed, 0xa0, 0x80], 2],
    ["above U+10FFFF (F4 90 80 80)", [0xf4, 0x90, 0x80, 0x80], 2],
    ["F5 lead byte", [0xf5, 0x80, 0x80, 0x80], 2],
    ["truncated 3-byte sequence before a newline", [0xe2, 0x82, 0x0a], 2],
    ["bad second continuation", [0xe2, 0x82, 0x41], 2],
  ])("%s is reported at line 1, offset 2", (_name, bad, offset) => {
    const err = thrown(() => parseConfigCsv(bytes("k,", bad, "z\n")));
    expect(err.code).toBe("CONFIG_INVALID_UTF8");
    expect(err.details).toEqual({ line: 1, offset });
  });

  it("a sequence truncated by the end of the file", () => {
    const err = thrown(() => parseConfigCsv(bytes("a,1\nb,€", [0xe2, 0x82])));
    // "a,1\n" 4 bytes, "b," 2 bytes, "€" 3 bytes → the truncated lead byte is at offset 9
    expect(err.details).toEqual({ line: 2, offset: 9 });
  });

  it("reports the FIRST invalid sequence, after valid multi-byte characters", () => {
    // "é" is 2 bytes and "😀" is 4: "k,é😀" → bytes 0..7, first bad byte at 8
    const err = thrown(() => parseConfigCsv(bytes("x,1\nk,é😀", [0xff], "\n", [0xfe])));
    expect(err.details).toEqual({ line: 2, offset: 12 });
  });

  it("accepts the boundary code points that are valid", () => {
    // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFD, U+10000, U+10FFFF
    const s = "k,\u0080\u07FF\u0800\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}";
    expect(parseConfigCsv(utf8(s)).entries).toEqual([
      { key: "k", value: "\u0080\u07FF\u0800\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}", type: "string", line: 1 },
    ]);
  });
});

describe("parseConfigCsv: a realistic General Bots config.csv", () => {
  const file = [
    "name,value",
    "# General",
    "Bot Name,Atendimento Pizzaria",
    "Welcome Message,Olá! Bem-vindo à Pizzaria 🍕, como posso ajudar?",
    "Answer Mode,direct",
    "",
    "# LLM",
    "llm-provider,openai",
    "llm-url,http://localhost:8081/v1",
    "llm-model,DeepSeek-R1-Distill-Qwen-1.5B-Q3_K_M.gguf",
    "llm-key,none",
    "llm-temperature,0.7",
    "llm-max-tokens,4096",
    "llm-server,true",
    "llm-server-ctx-size,8192",
    "",
    "# Embeddings",
    "embedding-url,http://localhost:8082",
    "embedding-model,bge-small-en-v1.5-f32.gguf",
    "",
    "# Theme",
    "theme-color1,#0d2b55",
    "theme-color2,#fff9c2",
    "theme-logo,https://pragmatismo.com.br/icons/general-bots.svg",
    'theme-title,"Pizzaria, a melhor"',
    "theme-logo-text,Pizzaria",
    "",
    "system-prompt-file,prompt.md",
    "prompt-history,2",
    "website-expires,1d",
    "param-max-discount,-5.5",
    "Enable Voice,FALSE",
  ].join("\r\n") + "\r\n";

  it("parses every key with the right value, type and line", () => {
    expect(parseConfigCsv(bytes([0xef, 0xbb, 0xbf], file))).toEqual({
      entries: [
        { key: "Bot Name", value: "Atendimento Pizzaria", type: "string", line: 3 },
        { key: "Welcome Message", value: "Olá! Bem-vindo à Pizzaria 🍕, como posso ajudar?", type: "string", line: 4 },
        { key: "Answer Mode", value: "direct", type: "string", line: 5 },
        { key: "llm-provider", value: "openai", type: "string", line: 8 },
        { key: "llm-url", value: "http://localhost:8081/v1", type: "string", line: 9 },
        { key: "llm-model", value: "DeepSeek-R1-Distill-Qwen-1.5B-Q3_K_M.gguf", type: "string", line: 10 },
        { key: "llm-key", value: "none", type: "string", line: 11 },
        { key: "llm-temperature", value: "0.7", type: "number", line: 12 },
        { key: "llm-max-tokens", value: "4096", type: "number", line: 13 },
        { key: "llm-server", value: "true", type: "boolean", line: 14 },
        { key: "llm-server-ctx-size", value: "8192", type: "number", line: 15 },
        { key: "embedding-url", value: "http://localhost:8082", type: "string", line: 18 },
        { key: "embedding-model", value: "bge-small-en-v1.5-f32.gguf", type: "string", line: 19 },
        { key: "theme-color1", value: "#0d2b55", type: "string", line: 22 },
        { key: "theme-color2", value: "#fff9c2", type: "string", line: 23 },
        { key: "theme-logo", value: "https://pragmatismo.com.br/icons/general-bots.svg", type: "string", line: 24 },
        { key: "theme-title", value: "Pizzaria, a melhor", type: "string", line: 25 },
        { key: "theme-logo-text", value: "Pizzaria", type: "string", line: 26 },
        { key: "system-prompt-file", value: "prompt.md", type: "string", line: 28 },
        { key: "prompt-history", value: "2", type: "number", line: 29 },
        { key: "website-expires", value: "1d", type: "string", line: 30 },
        { key: "param-max-discount", value: "-5.5", type: "number", line: 31 },
        { key: "Enable Voice", value: "FALSE", type: "boolean", line: 32 },
      ],
      diagnostics: [],
    });
  });
});

describe("keys with control characters", () => {
  it("are skipped with a diagnostic naming the line", () => {
    expect(parseConfigCsv("a\u0000b,1\nok,2\nc\rd,3\ne\u001b[31m,4\n")).toEqual({
      entries: [{ key: "ok", value: "2", type: "number", line: 2 }],
      diagnostics: [
        { line: 1, code: "control-characters", message: "line 1: the key contains control characters; line skipped" },
        { line: 3, code: "control-characters", message: "line 3: the key contains control characters; line skipped" },
        { line: 4, code: "control-characters", message: "line 4: the key contains control characters; line skipped" },
      ],
    });
  });
});
