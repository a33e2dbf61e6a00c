export type LogFields = Record<string, unknown>;

/** Structured logs. Implementations must never receive secrets; callers pass keys and paths, never values. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}
