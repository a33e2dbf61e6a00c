/**
 * Where secrets come from, decided in one place:
 *  - VAULT_ADDR + VAULT_TOKEN set → Vault KV v2 (the production guide: only VAULT_* in .env). Database from
 *    gbo/tables, drive from gbo/drive, tokens from gbo/botsync, the master key from gbo/encryption; the
 *    database password and drive keys are read per new connection / credential refresh, so a rotation in
 *    Vault needs no restart.
 *  - otherwise the environment, as the development fallback, with a warning — never a default password.
 *  - nothing configured at all → the embedded default's generated secrets under DATA_DIR.
 */
import { BotsyncError } from "../../core/errors.js";
import type { Clock } from "../../core/time/clock.js";
import type { RuntimeSecrets } from "../../core/ports/runtime-secrets.js";
import { requireTokens, type Settings, type VaultSettings } from "../../core/settings/settings.js";
import { embeddedSecrets } from "./embedded-secrets.js";
import { staticSecrets } from "../secrets/static-secrets.js";
import { VaultStore } from "../secrets/vault-store.js";

/** Vault paths (KV v2, under the mount): the botserver's, plus gbo/botsync for botsync's own tokens. */
export const VAULT_PATHS = {
  tables: "gbo/tables",
  drive: "gbo/drive",
  vectordb: "gbo/vectordb",
  llm: "gbo/llm",
  encryption: "gbo/encryption",
  botsync: "gbo/botsync",
} as const;

export interface ServiceSecrets extends RuntimeSecrets {
  /** password for each new database connection, when it comes from a secret store */
  databasePassword?: () => Promise<string>;
  /** drive keys, re-read when the SDK refreshes credentials */
  driveCredentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string }>;
  /** the Vault store, for per-bot secrets and gbo/vectordb, gbo/llm */
  vault?: VaultStore;
}

export interface ResolvedSettings {
  settings: Settings;
  secrets: ServiceSecrets;
  warnings: string[];
}

export interface ResolveOptions {
  /** what Vault's cache TTL is measured on (tests move it instead of waiting) */
  clock?: Pick<Clock, "now">;
}

export async function resolveSecrets(settings: Settings, options: ResolveOptions = {}): Promise<ResolvedSettings> {
  if (settings.vault) return fromVault(settings, settings.vault, options);
  const fullyEmbedded = !settings.databaseUrl && !settings.s3.endpoint;
  if (fullyEmbedded && (!settings.webhookToken || !settings.apiToken)) {
    const generated = await embeddedSecrets(settings.dataDir);
    return {
      settings,
      secrets: staticSecrets({
        source: "generated",
        tokens: { webhook: settings.webhookToken ?? generated.webhook, api: settings.apiToken ?? generated.api, metrics: settings.metricsToken },
        masterKey: settings.encryptionMasterKey ?? generated.masterKey,
        detail: `embedded default: generated under ${settings.dataDir}`,
      }),
      warnings: [],
    };
  }
  const warnings = [
    "VAULT_ADDR and VAULT_TOKEN are not set: secrets come from environment variables (development fallback; use Vault in production)",
  ];
  if (!settings.encryptionMasterKey) warnings.push("no ENCRYPTION_MASTER_KEY: sensitive config.csv values will be stored unencrypted");
  return {
    settings,
    secrets: staticSecrets({
      source: "environment",
      // Required only by what serves HTTP: CLI commands such as migrate run without them.
      tokens: () => {
        const serving = requireTokens(settings);
        return { webhook: serving.webhookToken, api: serving.apiToken, metrics: settings.metricsToken };
      },
      masterKey: settings.encryptionMasterKey ?? null,
    }),
    warnings,
  };
}

async function fromVault(settings: Settings, vault: VaultSettings, options: ResolveOptions): Promise<ResolvedSettings> {
  const store = new VaultStore({
    address: vault.address,
    token: vault.token,
    mount: vault.mount,
    ttlMs: vault.cacheTtlMs,
    caCertFile: vault.caCertFile,
    clientCertFile: vault.clientCertFile,
    clientKeyFile: vault.clientKeyFile,
    skipVerify: vault.skipVerify,
    clock: options.clock,
  });
  // Sealed or unreachable is reported as such before any read can fail with a vaguer message.
  const health = await store.check();
  if (!health.ok) throw new BotsyncError("SECRETS_UNAVAILABLE", `cannot start: ${health.detail}`);

  const [tables, drive, tokens, encryption] = await Promise.all([
    store.require(VAULT_PATHS.tables, ["host", "port", "database", "username", "password"]),
    store.require(VAULT_PATHS.drive, ["host", "port", "accesskey", "secret"]),
    store.require(VAULT_PATHS.botsync, ["webhook_token", "api_token"]),
    store.read(VAULT_PATHS.encryption),
  ]);
  const warnings: string[] = [];
  const fromEnvironment: Record<string, string | undefined> = {
    DATABASE_URL: settings.databaseUrl,
    S3_ENDPOINT: settings.s3.endpoint,
    WEBHOOK_TOKEN: settings.webhookToken,
    API_TOKEN: settings.apiToken,
    ENCRYPTION_MASTER_KEY: settings.encryptionMasterKey,
  };
  const ignored = Object.keys(fromEnvironment).filter((name) => fromEnvironment[name] !== undefined);
  if (ignored.length > 0) warnings.push(`Vault is configured; ignoring ${ignored.join(", ")} from the environment`);
  for (const [name, value] of [["webhook_token", tokens.webhook_token], ["api_token", tokens.api_token]] as const) {
    if (value!.length < 16 || /\s/.test(value!)) {
      throw new BotsyncError("SETTINGS_INVALID", `Vault secret ${vault.mount}/data/${VAULT_PATHS.botsync} ${name} must be one word of at least 16 characters`);
    }
  }
  if (!encryption?.master_key) warnings.push(`Vault has no master_key at ${vault.mount}/data/${VAULT_PATHS.encryption}: sensitive config.csv values will be stored unencrypted`);

  const databaseUrl = new URL(`postgres://${tables.host}:${tables.port}`);
  databaseUrl.username = tables.username!;
  databaseUrl.pathname = `/${encodeURIComponent(tables.database!)}`;
  if (tables.sslmode) databaseUrl.searchParams.set("sslmode", tables.sslmode);
  const scheme = drive.use_ssl === "true" || drive.scheme === "https" ? "https" : "http";
  const endpoint = drive.url ?? `${scheme}://${drive.host}:${drive.port}`;

  const secret = async (path: string, keys: string[]) => store.require(path, keys);
  // Qdrant's address and key live in gbo/vectordb when Vault is used.
  const vectordb = settings.vectors.store === "qdrant" ? await store.read(VAULT_PATHS.vectordb) : null;
  return {
    settings: {
      ...settings,
      vectors: settings.vectors.store === "qdrant" ? { store: "qdrant", url: vectordb?.url ?? settings.vectors.url, apiKey: vectordb?.api_key } : settings.vectors,
      databaseUrl: databaseUrl.toString(),
      s3: { ...settings.s3, endpoint, accessKey: undefined, secretKey: undefined },
      webhookToken: undefined,
      apiToken: undefined,
      encryptionMasterKey: undefined,
    },
    secrets: {
      source: "vault",
      vault: store,
      tokens: async () => {
        const t = await secret(VAULT_PATHS.botsync, ["webhook_token", "api_token"]);
        // metrics_token is optional in gbo/botsync; METRICS_TOKEN from the environment stands in for it.
        return { webhook: t.webhook_token!, api: t.api_token!, metrics: t.metrics_token ?? settings.metricsToken };
      },
      masterKey: async () => (await store.read(VAULT_PATHS.encryption))?.master_key ?? null,
      databasePassword: async () => (await secret(VAULT_PATHS.tables, ["password"])).password!,
      driveCredentials: async () => {
        const d = await secret(VAULT_PATHS.drive, ["accesskey", "secret"]);
        return { accessKeyId: d.accesskey!, secretAccessKey: d.secret! };
      },
      check: () => store.check(),
    },
    warnings,
  };
}
