/**
 * Tool definitions: `{name}.mcp.json` and `{name}.tool.json`, written for every compiled script, even one
 * without PARAMs, in the botserver's shapes. The botserver's own compiler stopped writing them (an early
 * return since 2026-04-17), so its `USE TOOL` fails; here they are always produced.
 */
import type { Program, ToolParam } from "./syntax-tree.js";
import { forEachStatement } from "./syntax-walk.js";

export interface ToolProperty {
  type: JsonType;
  description: string;
  example?: string;
  enum?: string[];
  format?: "date";
}

export interface ToolSchema {
  type: "object";
  properties: Record<string, ToolProperty>;
  required: string[];
}

/** `{name}.mcp.json` — `enum` is omitted, as the botserver omits it. */
export interface McpTool {
  name: string;
  description: string;
  input_schema: ToolSchema;
}

/** `{name}.tool.json` — the OpenAI function-calling shape. */
export interface OpenAiTool {
  type: "function";
  function: { name: string; description: string; parameters: ToolSchema };
}

export type JsonType = "string" | "integer" | "number" | "boolean" | "array" | "object";

/** The botserver's `normalize_type`; note `number` maps to `integer`, as in the botserver. */
export function jsonTypeOf(basicType: string): JsonType {
  switch (basicType.toLowerCase()) {
    case "integer":
    case "int":
    case "number":
      return "integer";
    case "float":
    case "double":
    case "decimal":
      return "number";
    case "boolean":
    case "bool":
      return "boolean";
    case "array":
    case "list":
      return "array";
    case "object":
    case "map":
      return "object";
    default:
      return "string";
  }
}

export interface ToolDefinition {
  mcp: McpTool;
  openai: OpenAiTool;
}

export function buildToolDefinition(name: string, program: Program): ToolDefinition {
  const params = new Map<string, ToolParam>();
  let description = "";
  forEachStatement(program.body, (s) => {
    if (s.kind === "param" && s.param !== null) {
      params.delete(s.param.name); // a redefinition moves to its last position
      params.set(s.param.name, s.param);
    } else if (s.kind === "description" && s.text !== null) description = s.text; // the last one wins
  });
  const mcpProperties: Record<string, ToolProperty> = {};
  const openAiProperties: Record<string, ToolProperty> = {};
  for (const p of params.values()) {
    const base: ToolProperty = { type: jsonTypeOf(p.basicType), description: p.description };
    if (p.example !== null) base.example = p.example;
    const format = p.basicType === "date" ? { format: "date" as const } : {};
    mcpProperties[p.name] = { ...base, ...format };
    openAiProperties[p.name] = { ...base, ...(p.enumValues !== null ? { enum: [...p.enumValues] } : {}), ...format };
  }
  const required = [...params.keys()];
  return {
    mcp: { name, description, input_schema: { type: "object", properties: mcpProperties, required } },
    openai: {
      type: "function",
      function: { name, description, parameters: { type: "object", properties: openAiProperties, required: [...required] } },
    },
  };
}
