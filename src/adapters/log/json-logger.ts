import type { LogFields, Logger } from "../../core/ports/logger.js";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names whose values are never written, whatever a caller passes by mistake.
const SECRET_FIELD = /token|secret|password|passwd|authorization|credential|api[-_]?key|access[-_]?key|private/i;

/**
 * One JSON object per line on stdout/stderr: what container log collectors and `wrangler tail` expect, and
 * the same on Node and workerd.
 */
export class JsonLogger implements Logger {
  constructor(
    private readonly fields: LogFields = {},
    private readonly minLevel: Level = "info",
    private readonly write: (level: Level, line: string) => void = defaultWrite,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.log("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log("error", msg, fields);
  }
  child(fields: LogFields): Logger {
    return new JsonLogger({ ...this.fields, ...fields }, this.minLevel, this.write);
  }

  private log(level: Level, msg: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    const record: LogFields = { time: new Date().toISOString(), level, msg };
    for (const [k, v] of Object.entries({ ...this.fields, ...fields })) {
      record[k] = SECRET_FIELD.test(k) ? "[redacted]" : v;
    }
    this.write(level, JSON.stringify(record));
  }
}

function defaultWrite(level: Level, line: string): void {
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export function parseLogLevel(value: string | undefined): Level {
  return value === "debug" || value === "warn" || value === "error" ? value : "info";
}
