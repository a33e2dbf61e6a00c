import type { RuntimeSecrets } from "../../core/ports/runtime-secrets.js";

/** Secrets fixed at start-up: the development fallback (environment variables) and the embedded default. */
export function staticSecrets(input: {
  source: RuntimeSecrets["source"];
  /** the tokens, or a function that produces them (and may throw when they are not configured) */
  tokens: { webhook: string; api: string; metrics?: string } | (() => { webhook: string; api: string; metrics?: string });
  masterKey: string | null;
  detail?: string;
}): RuntimeSecrets {
  return {
    source: input.source,
    tokens: async () => (typeof input.tokens === "function" ? input.tokens() : input.tokens),
    masterKey: async () => input.masterKey,
    check: async () => ({ ok: true, source: input.source, ...(input.detail ? { detail: input.detail } : {}) }),
  };
}
