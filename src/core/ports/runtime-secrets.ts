import type { DependencyCheck } from "./dependency-check.js";

/**
 * Secrets the request path needs, read through whatever holds them (Vault in production, the environment
 * in development). Reads are cached by the implementation, so they are cheap enough per request, and a
 * rotated value is picked up at the next read after the cache expires — no restart.
 */
export interface RuntimeSecrets {
  readonly source: "vault" | "environment" | "generated";
  /** `metrics`: a scraper's own token for GET /metrics, when one is configured */
  tokens(): Promise<{ webhook: string; api: string; metrics?: string }>;
  /** null when none is configured: sensitive config values are then stored unencrypted, with a warning */
  masterKey(): Promise<string | null>;
  check(): Promise<DependencyCheck>;
}
