import type { SourceKind, ValidationResult } from "../validate/validate-source.js";

/**
 * Validates a `.bas` or `config.csv` text (compile or parse, no side effect). On Node this runs off the
 * request thread, so a large script cannot stall webhooks; implementations may refuse work when busy
 * (SERVICE_BUSY), never queue without bound.
 */
export interface SourceValidator {
  validate(input: { kind: SourceKind; name: string; text: string }): Promise<ValidationResult>;
}
