/**
 * The one settings object. Environment variable names are a contract with operators and tooling outside
 * this repo (the README's Configuration table lists them all): PORT, HOST, DATABASE_URL, S3_ENDPOINT,
 * S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, WEBHOOK_TOKEN, API_TOKEN, WORK_DIR, DATA_DIR, LOAD_ONLY,
 * RECONCILE_INTERVAL_MS, and for bucket subscriptions S3_NOTIFY, BOTSYNC_PUBLIC_URL, S3_NOTIFY_ARN. Parsing is pure so the
 * same rules run on Node and in the Worker; where values come from (env, Vault) is the adapters' business.
 */
import { z } from "zod";
import { BotsyncError } from "../errors.js";

export interface Settings {
  port: number;
  host: string;
  /** undefined → the embedded PGlite is started (Node only) */
  databaseUrl?: string;
  s3: { endpoint?: string; accessKey?: string; secretKey?: string; region: string };
  webhookToken?: string;
  apiToken?: string;
  /** a token that opens only GET /metrics (the API token opens it too) */
  metricsToken?: string;
  dataDir: string;
  workDir: string;
  /** LOAD_ONLY: only these bots are synced; null = all */
  loadOnly: ReadonlySet<string> | null;
  reconcileIntervalMs: number;
  logLevel: "debug" | "info" | "warn" | "error";
  embedded: { s3Port: number; postgresPort: number };
  /** set when VAULT_ADDR and VAULT_TOKEN are: production secrets then come from Vault (README, "Secrets") */
  vault: VaultSettings | null;
  /** ENCRYPTION_MASTER_KEY: the development fallback for Vault's gbo/encryption master_key */
  encryptionMasterKey?: string;
  /** KB_VECTOR_STORE: where KB vectors go — PostgreSQL (pgvector when available) or Qdrant */
  vectors: { store: "postgres" } | { store: "qdrant"; url?: string; apiKey?: string };
  /** S3_NOTIFY: whether botsync subscribes the buckets it serves to its own notifications, and how */
  notify: NotifySettings;
}

/**
 * - off: the storage server's notifications are set up by hand (webhooks/setup-minio.sh) or not at all.
 * - minio: each bucket gets a QueueConfiguration for `arn` (S3_NOTIFY_ARN), a webhook target that must be
 *   configured on the MinIO server (its env vars or `mc admin config set`); the S3 API cannot create it.
 * - ceph: botsync creates its own persistent topic `topic` on radosgw (named by S3_NOTIFY_ARN's last
 *   part), pushing to `{publicUrl}/webhooks/minio` with the webhook token as OpaqueData.
 */
export type NotifySettings =
  | { mode: "off" }
  | { mode: "minio"; publicUrl: string; arn: string }
  | { mode: "ceph"; publicUrl: string; topic: string };

export const DEFAULT_MINIO_NOTIFY_ARN = "arn:minio:sqs::botsync:webhook";
export const DEFAULT_CEPH_TOPIC = "botsync";

/** Where the storage server POSTs notifications: BOTSYNC_PUBLIC_URL + the webhook route. */
export function webhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/webhooks/minio`;
}

// MinIO: arn:minio:sqs:<region>:<target id>:webhook (botsync only receives webhooks).
const MINIO_ARN = /^arn:minio:sqs:[^:\s]*:[^:\s]+:webhook$/;
// radosgw: arn:aws:sns:<zonegroup>:<tenant>:<topic>; SNS topic names are 1–256 of [A-Za-z0-9_-].
const CEPH_TOPIC_ARN = /^arn:aws:sns:[^:\s]*:[^:\s]*:([A-Za-z0-9_-]{1,256})$/;

export interface VaultSettings {
  address: string;
  token: string;
  mount: string;
  cacheTtlMs: number;
  caCertFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  skipVerify: boolean;
}

export type RawEnv = Record<string, string | undefined>;

const SECRET_NAMES = new Set(["WEBHOOK_TOKEN", "API_TOKEN", "METRICS_TOKEN", "S3_SECRET_KEY", "S3_ACCESS_KEY", "DATABASE_URL", "VAULT_TOKEN", "ENCRYPTION_MASTER_KEY", "QDRANT_API_KEY"]);

const port = (fallback: number) =>
  z.coerce
    .number()
    .int("must be an integer")
    .min(0, "must be between 0 and 65535 (0 = any free port)")
    .max(65535, "must be between 0 and 65535 (0 = any free port)")
    .default(fallback);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();
const token = optionalText.pipe(
  z
    .string()
    .min(16, "must be at least 16 characters")
    .regex(/^\S+$/, "must be one word (MinIO sends a one-word auth_token as `Bearer <token>`)")
    .optional(),
);
const url = (protocols: RegExp, what: string) =>
  optionalText.pipe(
    z
      .string()
      .refine((v) => URL.canParse(v) && protocols.test(new URL(v).protocol), `must be a ${what} URL`)
      .optional(),
  );

const schema = z
  .object({
    PORT: port(5860),
    HOST: optionalText.default("127.0.0.1"),
    DATABASE_URL: url(/^postgres(ql)?:$/, "postgres://"),
    S3_ENDPOINT: url(/^https?:$/, "http(s)://"),
    S3_ACCESS_KEY: optionalText,
    S3_SECRET_KEY: optionalText,
    S3_REGION: optionalText.default("us-east-1"),
    WEBHOOK_TOKEN: token,
    API_TOKEN: token,
    METRICS_TOKEN: token,
    DATA_DIR: optionalText.default("./.data"),
    WORK_DIR: optionalText,
    LOAD_ONLY: optionalText,
    RECONCILE_INTERVAL_MS: z.coerce.number().int("must be an integer").min(1000, "must be at least 1000").default(10_000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).optional().default("info"),
    EMBEDDED_S3_PORT: port(9100),
    EMBEDDED_PG_PORT: port(5862),
    VAULT_ADDR: url(/^https?:$/, "http(s)://"),
    VAULT_TOKEN: optionalText,
    VAULT_KV_MOUNT: optionalText.default("secret"),
    VAULT_CACHE_TTL: z.coerce.number().int("must be a whole number of seconds").min(0, "must be 0 or more seconds").default(300),
    VAULT_CACERT: optionalText,
    VAULT_CLIENT_CERT: optionalText,
    VAULT_CLIENT_KEY: optionalText,
    VAULT_SKIP_VERIFY: z.enum(["true", "false", "1", "0"], "must be true, false, 1 or 0").optional(),
    ENCRYPTION_MASTER_KEY: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    KB_VECTOR_STORE: z.enum(["postgres", "qdrant"], "must be postgres or qdrant").optional().default("postgres"),
    QDRANT_URL: url(/^https?:$/, "http(s)://"),
    QDRANT_API_KEY: optionalText,
    S3_NOTIFY: z.enum(["off", "minio", "ceph"], "must be off, minio or ceph").optional().default("off"),
    BOTSYNC_PUBLIC_URL: url(/^https?:$/, "http(s)://").pipe(
      z
        .string()
        .refine((v) => {
          const u = new URL(v);
          return u.search === "" && u.hash === "" && u.username === "" && u.password === "";
        }, "must be a base URL without query, fragment or credentials (the storage server appends /webhooks/minio)")
        .optional(),
    ),
    S3_NOTIFY_ARN: optionalText,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.VAULT_ADDR) !== Boolean(env.VAULT_TOKEN)) {
      const missing = env.VAULT_ADDR ? "VAULT_TOKEN" : "VAULT_ADDR";
      ctx.addIssue({ code: "custom", path: [missing], message: "is required: VAULT_ADDR and VAULT_TOKEN are set together" });
    }
    if (Boolean(env.VAULT_CLIENT_CERT) !== Boolean(env.VAULT_CLIENT_KEY)) {
      const missing = env.VAULT_CLIENT_CERT ? "VAULT_CLIENT_KEY" : "VAULT_CLIENT_CERT";
      ctx.addIssue({ code: "custom", path: [missing], message: "is required: VAULT_CLIENT_CERT and VAULT_CLIENT_KEY are set together (mTLS)" });
    }
    if (env.S3_NOTIFY !== "off" && !env.BOTSYNC_PUBLIC_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["BOTSYNC_PUBLIC_URL"],
        message: `is required when S3_NOTIFY is ${env.S3_NOTIFY}: the base URL the storage server uses to reach botsync`,
      });
    }
    if (env.S3_NOTIFY_ARN && env.S3_NOTIFY === "minio" && !MINIO_ARN.test(env.S3_NOTIFY_ARN)) {
      ctx.addIssue({ code: "custom", path: ["S3_NOTIFY_ARN"], message: "must be a MinIO webhook target ARN, arn:minio:sqs:[REGION]:ID:webhook" });
    }
    if (env.S3_NOTIFY_ARN && env.S3_NOTIFY === "ceph" && !CEPH_TOPIC_ARN.test(env.S3_NOTIFY_ARN)) {
      ctx.addIssue({ code: "custom", path: ["S3_NOTIFY_ARN"], message: "must be a radosgw topic ARN, arn:aws:sns:[ZONEGROUP]:[TENANT]:TOPIC" });
    }
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY)) {
      for (const name of ["S3_ACCESS_KEY", "S3_SECRET_KEY"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when S3_ENDPOINT is set" });
      }
    }
  });

/** Parses and validates; throws SETTINGS_INVALID naming every bad variable (never echoing a secret's value). */
export function parseSettings(env: RawEnv): Settings {
  // An empty value (`PORT=` in a .env or compose file) means "not set", for every variable alike.
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v.trim() !== ""));
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "settings");
      const got = env[name];
      const shown = got === undefined || SECRET_NAMES.has(name) ? "" : ` (got ${JSON.stringify(got)})`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new BotsyncError("SETTINGS_INVALID", `invalid settings: ${problems.join("; ")}`, { details: { problems } });
  }
  const e = result.data;
  const loadOnly = e.LOAD_ONLY
    ? new Set(
        e.LOAD_ONLY.split(",")
          .map((s) => s.trim())
          .filter((s) => s !== ""),
      )
    : null;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    s3: { endpoint: e.S3_ENDPOINT, accessKey: e.S3_ACCESS_KEY, secretKey: e.S3_SECRET_KEY, region: e.S3_REGION },
    webhookToken: e.WEBHOOK_TOKEN,
    apiToken: e.API_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    dataDir: e.DATA_DIR,
    workDir: e.WORK_DIR ?? `${e.DATA_DIR.replace(/\/+$/, "")}/work`,
    loadOnly: loadOnly && loadOnly.size > 0 ? loadOnly : null,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    embedded: { s3Port: e.EMBEDDED_S3_PORT, postgresPort: e.EMBEDDED_PG_PORT },
    vault:
      e.VAULT_ADDR && e.VAULT_TOKEN
        ? {
            address: e.VAULT_ADDR.replace(/\/+$/, ""),
            token: e.VAULT_TOKEN,
            mount: e.VAULT_KV_MOUNT,
            cacheTtlMs: e.VAULT_CACHE_TTL * 1000,
            caCertFile: e.VAULT_CACERT,
            clientCertFile: e.VAULT_CLIENT_CERT,
            clientKeyFile: e.VAULT_CLIENT_KEY,
            skipVerify: e.VAULT_SKIP_VERIFY === "true" || e.VAULT_SKIP_VERIFY === "1",
          }
        : null,
    encryptionMasterKey: e.ENCRYPTION_MASTER_KEY,
    vectors: e.KB_VECTOR_STORE === "qdrant" ? { store: "qdrant", url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY } : { store: "postgres" },
    notify: notifySettings(e.S3_NOTIFY, e.BOTSYNC_PUBLIC_URL, e.S3_NOTIFY_ARN),
  };
}

function notifySettings(mode: "off" | "minio" | "ceph", publicUrl: string | undefined, arn: string | undefined): NotifySettings {
  // The schema already required BOTSYNC_PUBLIC_URL for minio and ceph.
  if (mode === "off" || publicUrl === undefined) return { mode: "off" };
  const base = publicUrl.replace(/\/+$/, "");
  if (mode === "minio") return { mode, publicUrl: base, arn: arn ?? DEFAULT_MINIO_NOTIFY_ARN };
  return { mode, publicUrl: base, topic: arn ? CEPH_TOPIC_ARN.exec(arn)![1]! : DEFAULT_CEPH_TOPIC };
}

/** Settings in which both tokens are known: what the HTTP app needs. */
export type ServingSettings = Settings & { webhookToken: string; apiToken: string };

export function requireTokens(settings: Settings): ServingSettings {
  const missing = (["WEBHOOK_TOKEN", "API_TOKEN"] as const).filter((n) => !(n === "WEBHOOK_TOKEN" ? settings.webhookToken : settings.apiToken));
  if (missing.length > 0) {
    throw new BotsyncError("SETTINGS_INVALID", `invalid settings: ${missing.map((n) => `${n} is required`).join("; ")}`);
  }
  return settings as ServingSettings;
}
