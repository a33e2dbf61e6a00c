import type { SourceValidator } from "../../core/ports/source-validator.js";
import { validateSource } from "../../core/validate/validate-source.js";

/**
 * Validation on the calling thread: for runtimes without threads (a Worker isolate, whose CPU time the
 * platform limits per request) and for the CLI, which validates local files.
 */
export const inlineValidator: SourceValidator = {
  validate: async (input) => validateSource(input),
};
