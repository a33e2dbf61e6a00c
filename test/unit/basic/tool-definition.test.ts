/** Tool definitions: the exact .mcp.json / .tool.json shapes, and ENUM suggestions. */
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";
import { jsonTypeOf } from "../../../src/core/basic/tool-definition.js";

const SCRIPT = `PARAM customer AS STRING LIKE "Ana Lima" DESCRIPTION "Customer's full name"
PARAM plan AS STRING ENUM [basic, "pro", 'enterprise, annual'] DESCRIPTION "Plan to subscribe"
PARAM seats AS INTEGER LIKE "5" DESCRIPTION "Number of seats"
PARAM price AS DECIMAL DESCRIPTION "Agreed price"
PARAM starts AS DATE DESCRIPTION "Start date"
PARAM trial AS BOOLEAN DESCRIPTION "Trial first"
DESCRIPTION "Creates a subscription"
TALK "Subscribing " + customer
`;

describe("tool definitions", () => {
  const result = compileBasic(SCRIPT, { name: "subscribe" });

  it("compiles", () => {
    expect(result.diagnostics).toEqual([]);
  });

  it("writes the MCP shape: input_schema, no enum", () => {
    expect(result.tool.mcp).toEqual({
      name: "subscribe",
      description: "Creates a subscription",
      input_schema: {
        type: "object",
        properties: {
          customer: { type: "string", description: "Customer's full name", example: "Ana Lima" },
          plan: { type: "string", description: "Plan to subscribe" },
          seats: { type: "integer", description: "Number of seats", example: "5" },
          price: { type: "number", description: "Agreed price" },
          starts: { type: "string", description: "Start date", format: "date" },
          trial: { type: "boolean", description: "Trial first" },
        },
        required: ["customer", "plan", "seats", "price", "starts", "trial"],
      },
    });
    expect(JSON.stringify(result.tool.mcp)).not.toContain("enum");
  });

  it("writes the OpenAI shape: type function, parameters, enum", () => {
    expect(result.tool.openai).toEqual({
      type: "function",
      function: {
        name: "subscribe",
        description: "Creates a subscription",
        parameters: {
          type: "object",
          properties: {
            customer: { type: "string", description: "Customer's full name", example: "Ana Lima" },
            plan: { type: "string", description: "Plan to subscribe", enum: ["basic", "pro", "enterprise, annual"] },
            seats: { type: "integer", description: "Number of seats", example: "5" },
            price: { type: "number", description: "Agreed price" },
            starts: { type: "string", description: "Start date", format: "date" },
            trial: { type: "boolean", description: "Trial first" },
          },
          required: ["customer", "plan", "seats", "price", "starts", "trial"],
        },
      },
    });
  });

  it("puts the ENUM suggestions right after the first DESCRIPTION line", () => {
    expect(result.ast).toBe(
      [
        'ADD_SUGGESTION_TEXT "basic" as "basic";',
        'ADD_SUGGESTION_TEXT "pro" as "pro";',
        'ADD_SUGGESTION_TEXT "enterprise, annual" as "enterprise, annual";',
        'TALK "Subscribing " + customer;',
        "",
      ].join("\n"),
    );
  });

  it("puts the ENUM suggestions at the end when there is no DESCRIPTION line", () => {
    const r = compileBasic('TALK "first"\nPARAM size AS STRING ENUM ["S", "M"]\nTALK "last"\n', { name: "t" });
    expect(r.ast).toBe('TALK "first";\nTALK "last";\nADD_SUGGESTION_TEXT "S" as "S";\nADD_SUGGESTION_TEXT "M" as "M";\n');
  });

  it("maps BASIC types as normalize_type does (number → integer, unknown → string)", () => {
    expect(["integer", "int", "number", "float", "double", "decimal", "bool", "boolean", "list", "array", "map", "object", "email", "date", "x"].map(jsonTypeOf)).toEqual([
      "integer", "integer", "integer", "number", "number", "number", "boolean", "boolean", "array", "array", "object", "object", "string", "string", "string",
    ]);
  });

  it("the last DESCRIPTION line wins; the type defaults to string; PARAMs anywhere in the file count", () => {
    const r = compileBasic('DESCRIPTION "first"\nIF x THEN\n  PARAM late NOTYPE LIKE "z" DESCRIPTION "A \\"quoted\\" word"\nEND IF\nDESCRIPTION "second"\n', { name: "t" });
    expect(r.tool.mcp).toEqual({
      name: "t",
      description: "second",
      input_schema: { type: "object", properties: { late: { type: "string", description: 'A \\"quoted\\" word', example: "z" } }, required: ["late"] },
    });
  });

  it("drops a PARAM with fewer than 4 words with a warning, as the botserver does", () => {
    const r = compileBasic("PARAM lonely\nPARAM x AS\n", { name: "t" });
    expect(r.ok).toBe(true);
    expect(r.tool.mcp.input_schema.properties).toEqual({});
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["invalid-param", "warning", 1],
      ["invalid-param", "warning", 2],
    ]);
  });

  it("a bare LIKE value is the example, not the description that follows it", () => {
    const r = compileBasic('PARAM qty AS INTEGER LIKE 2 DESCRIPTION "How many"\nPARAM size AS STRING LIKE large DESCRIPTION "Cup size"\n', { name: "t" });
    expect(r.tool.mcp.input_schema.properties).toEqual({
      qty: { type: "integer", description: "How many", example: "2" },
      size: { type: "string", description: "Cup size", example: "large" },
    });
  });

  it("keywords of the PARAM line are case-insensitive and LIKE inside a description is not a keyword", () => {
    const r = compileBasic('param qty as Integer description "How many you like"\n', { name: "t" });
    expect(r.tool.mcp.input_schema.properties).toEqual({ qty: { type: "integer", description: "How many you like" } });
  });
});
