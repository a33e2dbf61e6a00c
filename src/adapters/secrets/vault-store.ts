/**
 * Vault KV v2 through node-vault, with a TTL cache (VAULT_CACHE_TTL, default 300 s). Within the TTL a value
 * is served from memory — which is also what keeps the service running while Vault is briefly sealed or
 * unreachable; after it, the next read goes to Vault, so a rotated secret arrives without a restart.
 * Failures say which of sealed / unreachable / token rejected it is (docs/notifications.md, "Vault KV v2
 * answers").
 */
import { readFileSync } from "node:fs";
import vault from "node-vault";
import { BotsyncError, errorText } from "../../core/errors.js";
import type { DependencyCheck } from "../../core/ports/dependency-check.js";
import { systemClock, type Clock } from "../../core/time/clock.js";

export interface VaultOptions {
  address: string;
  token: string;
  /** the KV v2 mount; the production guide uses `secret` */
  mount: string;
  ttlMs: number;
  caCertFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  skipVerify: boolean;
  timeoutMs?: number;
  /** what the cache's TTL is measured on */
  clock?: Pick<Clock, "now">;
}

interface Entry {
  value: Record<string, string> | null;
  expiresAt: number;
}

export class VaultStore {
  private readonly client: ReturnType<typeof vault>;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Record<string, string> | null>>();
  private lastError: { path: string; message: string } | null = null;

  constructor(private readonly options: VaultOptions) {
    const readFile = (file: string | undefined, what: string) => {
      if (!file) return undefined;
      try {
        return readFileSync(file);
      } catch (error) {
        throw new BotsyncError("SETTINGS_INVALID", `${what} ${file} cannot be read: ${errorText(error)}`);
      }
    };
    if (Boolean(options.clientCertFile) !== Boolean(options.clientKeyFile)) {
      throw new BotsyncError("SETTINGS_INVALID", "VAULT_CLIENT_CERT and VAULT_CLIENT_KEY must be set together (mTLS)");
    }
    this.client = vault({
      apiVersion: "v1",
      endpoint: options.address,
      token: options.token,
      requestOptions: {
        ca: readFile(options.caCertFile, "VAULT_CACERT"),
        cert: readFile(options.clientCertFile, "VAULT_CLIENT_CERT"),
        key: readFile(options.clientKeyFile, "VAULT_CLIENT_KEY"),
        strictSSL: !options.skipVerify,
        timeout: options.timeoutMs ?? 5_000,
      },
    });
  }

  private get clock(): Pick<Clock, "now"> {
    return this.options.clock ?? systemClock;
  }

  get address(): string {
    return this.options.address;
  }

  /** The secret map at `path` (e.g. "gbo/tables"), or null when it does not exist. */
  async read(path: string): Promise<Record<string, string> | null> {
    const cached = this.cache.get(path);
    if (cached && cached.expiresAt > this.clock.now()) return cached.value;
    let pending = this.inflight.get(path);
    if (!pending) {
      pending = this.fetch(path).finally(() => this.inflight.delete(path));
      this.inflight.set(path, pending);
    }
    return pending;
  }

  /** Reads a path and requires keys, naming the missing ones. */
  async require(path: string, keys: readonly string[]): Promise<Record<string, string>> {
    const secret = await this.read(path);
    const fullPath = `${this.options.mount}/data/${path}`;
    if (!secret) throw new BotsyncError("SETTINGS_INVALID", `Vault has no secret at ${fullPath}`);
    const missing = keys.filter((k) => typeof secret[k] !== "string" || secret[k] === "");
    if (missing.length > 0) throw new BotsyncError("SETTINGS_INVALID", `Vault secret ${fullPath} lacks ${missing.join(", ")}`);
    return secret;
  }

  /** /v1/sys/health plus the outcome of the last read (a revoked token shows up there). */
  async check(): Promise<DependencyCheck> {
    try {
      const health = (await this.client.health()) as { initialized?: boolean; sealed?: boolean; standby?: boolean };
      if (health.sealed) return { ok: false, source: "vault", detail: `Vault at ${this.options.address} is sealed` };
      if (health.initialized === false) return { ok: false, source: "vault", detail: `Vault at ${this.options.address} is not initialized` };
      if (this.lastError) {
        // The failure may be over (a token renewed, a policy fixed): try that read again.
        await this.fetch(this.lastError.path).catch(() => {});
        if (this.lastError) return { ok: false, source: "vault", detail: this.lastError.message };
      }
      return { ok: true, source: "vault" };
    } catch (error) {
      return { ok: false, source: "vault", detail: describeVaultError(error, this.options.address, "sys/health") };
    }
  }

  private async fetch(path: string): Promise<Record<string, string> | null> {
    const fullPath = `${this.options.mount}/data/${path}`;
    try {
      const response = (await this.client.read(fullPath)) as { data?: { data?: Record<string, unknown> | null } };
      const data = response.data?.data ?? null;
      const value = data ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])) : null;
      this.remember(path, value);
      return value;
    } catch (error) {
      if (statusOf(error) === 404) {
        this.remember(path, null);
        return null;
      }
      const message = describeVaultError(error, this.options.address, fullPath);
      this.lastError = { path, message };
      throw new BotsyncError("SECRETS_UNAVAILABLE", message, { retryable: true, cause: error });
    }
  }

  private remember(path: string, value: Record<string, string> | null): void {
    this.lastError = null;
    this.cache.set(path, { value, expiresAt: this.clock.now() + this.options.ttlMs });
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { statusCode?: number } } | null)?.response?.statusCode;
}

/** Which of sealed / unreachable / token rejected, in words an operator can act on. Never includes the token. */
export function describeVaultError(error: unknown, address: string, path: string): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code;
  if (status === 503 || /sealed/i.test(message)) return `Vault at ${address} is sealed (reading ${path})`;
  if (status === 403 || /permission denied/i.test(message)) {
    return `Vault rejected the token reading ${path} (403 permission denied): VAULT_TOKEN expired, was revoked, or lacks a policy for this path`;
  }
  if (status === undefined && (code || /network|connect|timeout|ECONN/i.test(message))) {
    return `Vault at ${address} is unreachable (${code ?? message})`;
  }
  return `Vault request for ${path} failed: ${status ? `HTTP ${status}: ` : ""}${message}`;
}
