import type { KbFormat } from "../kb/kb-format.js";

/**
 * Text extraction as a service: on Node it runs in a worker thread (a CPU-bound parser must not stall the
 * config and dialog jobs on the event loop, and a runaway one can be terminated at its time limit).
 */
export interface DocumentExtractor {
  extract(format: KbFormat, bytes: Uint8Array): Promise<{ text: string }>;
}
