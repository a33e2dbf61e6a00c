import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";
import { parseSettings, requireTokens, webhookUrl, type RawEnv, type Settings } from "../../src/core/settings/settings.js";

const TOKEN_A = "webhook-token-0123456789abcdef";
const TOKEN_B = "api-token-0123456789abcdef";

/** Runs parseSettings expecting SETTINGS_INVALID and returns the error. */
function invalid(env: RawEnv): BotsyncError {
  try {
    parseSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(BotsyncError);
    expect((error as BotsyncError).code).toBe("SETTINGS_INVALID");
    return error as BotsyncError;
  }
  throw new Error(`parseSettings accepted ${JSON.stringify(env)}`);
}

function requireTokensError(settings: Settings): BotsyncError {
  try {
    requireTokens(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(BotsyncError);
    expect((error as BotsyncError).code).toBe("SETTINGS_INVALID");
    return error as BotsyncError;
  }
  throw new Error("requireTokens accepted settings without both tokens");
}

describe("parseSettings defaults", () => {
  it("applies the documented defaults to an empty environment", () => {
    const s = parseSettings({});
    expect(s.port).toBe(5860);
    expect(s.host).toBe("127.0.0.1");
    expect(s.s3.region).toBe("us-east-1");
    expect(s.reconcileIntervalMs).toBe(10000);
    expect(s.dataDir).toBe("./.data");
    expect(s.workDir).toBe("./.data/work");
    expect(s.loadOnly).toBeNull();
    expect(s.databaseUrl).toBeUndefined();
    expect(s.s3.endpoint).toBeUndefined();
    expect(s.webhookToken).toBeUndefined();
    expect(s.apiToken).toBeUndefined();
  });

  it("derives WORK_DIR from DATA_DIR when WORK_DIR is not set", () => {
    expect(parseSettings({ DATA_DIR: "/var/lib/botsync" }).workDir).toBe("/var/lib/botsync/work");
    expect(parseSettings({ DATA_DIR: "/var/lib/botsync/" }).workDir).toBe("/var/lib/botsync/work");
  });

  it("keeps an explicit WORK_DIR", () => {
    const s = parseSettings({ DATA_DIR: "/data", WORK_DIR: "/srv/work" });
    expect(s.dataDir).toBe("/data");
    expect(s.workDir).toBe("/srv/work");
  });

  it("treats an empty HOST / DATA_DIR / S3_REGION as unset", () => {
    const s = parseSettings({ HOST: "", DATA_DIR: "", S3_REGION: "  " });
    expect(s.host).toBe("127.0.0.1");
    expect(s.dataDir).toBe("./.data");
    expect(s.workDir).toBe("./.data/work");
    expect(s.s3.region).toBe("us-east-1");
  });

  it("uses the values given", () => {
    const s = parseSettings({
      PORT: "8080",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgres://gb:pw@db:5432/botserver",
      S3_ENDPOINT: "http://minio:9000",
      S3_ACCESS_KEY: "minioadmin",
      S3_SECRET_KEY: "miniosecret",
      S3_REGION: "eu-west-1",
      WEBHOOK_TOKEN: TOKEN_A,
      API_TOKEN: TOKEN_B,
      RECONCILE_INTERVAL_MS: "2500",
    });
    expect(s.port).toBe(8080);
    expect(s.host).toBe("0.0.0.0");
    expect(s.databaseUrl).toBe("postgres://gb:pw@db:5432/botserver");
    expect(s.s3).toEqual({ endpoint: "http://minio:9000", accessKey: "minioadmin", secretKey: "miniosecret", region: "eu-west-1" });
    expect(s.webhookToken).toBe(TOKEN_A);
    expect(s.apiToken).toBe(TOKEN_B);
    expect(s.reconcileIntervalMs).toBe(2500);
  });

  it("accepts postgresql:// and https://", () => {
    const s = parseSettings({
      DATABASE_URL: "postgresql://db/x",
      S3_ENDPOINT: "https://s3.example.com",
      S3_ACCESS_KEY: "a",
      S3_SECRET_KEY: "b",
    });
    expect(s.databaseUrl).toBe("postgresql://db/x");
    expect(s.s3.endpoint).toBe("https://s3.example.com");
  });

  it("accepts PORT 0 and 65535 and RECONCILE_INTERVAL_MS 1000", () => {
    expect(parseSettings({ PORT: "0" }).port).toBe(0);
    expect(parseSettings({ PORT: "65535" }).port).toBe(65535);
    expect(parseSettings({ RECONCILE_INTERVAL_MS: "1000" }).reconcileIntervalMs).toBe(1000);
  });
});

describe("LOAD_ONLY", () => {
  it("is comma-separated, trimmed, with empty entries dropped", () => {
    const s = parseSettings({ LOAD_ONLY: " demo , sales,,  ,hr " });
    expect(s.loadOnly).not.toBeNull();
    expect([...s.loadOnly!].sort()).toEqual(["demo", "hr", "sales"]);
  });

  it("matches exact names only", () => {
    const s = parseSettings({ LOAD_ONLY: "demo" });
    expect(s.loadOnly!.has("demo")).toBe(true);
    expect(s.loadOnly!.has("dem")).toBe(false);
    expect(s.loadOnly!.has("demo2")).toBe(false);
    expect(s.loadOnly!.has("Demo")).toBe(false);
    expect(s.loadOnly!.has(" demo")).toBe(false);
  });

  it("with only separators or blanks means every bot", () => {
    expect(parseSettings({ LOAD_ONLY: " , ," }).loadOnly).toBeNull();
    expect(parseSettings({ LOAD_ONLY: "" }).loadOnly).toBeNull();
  });
});

describe("invalid settings name the variable", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
    ["RECONCILE_INTERVAL_MS", "999"],
    ["RECONCILE_INTERVAL_MS", "soon"],
    ["RECONCILE_INTERVAL_MS", "1500.5"],
    ["S3_ENDPOINT", "ftp://minio:9000"],
    ["S3_ENDPOINT", "minio:9000x y"],
  ])("%s=%s", (name, value) => {
    const env: RawEnv = { [name]: value };
    if (name === "S3_ENDPOINT") Object.assign(env, { S3_ACCESS_KEY: "a", S3_SECRET_KEY: "b" });
    const error = invalid(env);
    expect(error.message).toContain(name);
  });

  it("DATABASE_URL with a non-postgres scheme", () => {
    const error = invalid({ DATABASE_URL: "mysql://root:hunter2@db/bots" });
    expect(error.message).toContain("DATABASE_URL");
    // a database URL carries a password: never echoed
    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain("mysql://");
  });

  it("shows the bad value of a non-secret variable", () => {
    const error = invalid({ PORT: "eighty" });
    expect(error.message).toContain("PORT");
    expect(error.message).toContain("eighty");
  });

  it("S3_ENDPOINT without keys names both missing keys", () => {
    const error = invalid({ S3_ENDPOINT: "http://minio:9000" });
    expect(error.message).toContain("S3_ACCESS_KEY");
    expect(error.message).toContain("S3_SECRET_KEY");
  });

  it("S3_ENDPOINT with only one key names the other", () => {
    const error = invalid({ S3_ENDPOINT: "http://minio:9000", S3_ACCESS_KEY: "minioadmin" });
    expect(error.message).toContain("S3_SECRET_KEY");
    expect(error.message).not.toContain("S3_ACCESS_KEY");
    expect(error.message).not.toContain("minioadmin");
  });

  it("reports several problems in one message", () => {
    const error = invalid({ PORT: "abc", RECONCILE_INTERVAL_MS: "5", DATABASE_URL: "http://db" });
    expect(error.message).toContain("PORT");
    expect(error.message).toContain("RECONCILE_INTERVAL_MS");
    expect(error.message).toContain("DATABASE_URL");
  });
});

describe("tokens", () => {
  it.each(["WEBHOOK_TOKEN", "API_TOKEN"])("%s shorter than 16 characters is rejected without echoing it", (name) => {
    const value = "sh0rtSecretXyz9"; // 15 characters
    const error = invalid({ [name]: value });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain(value);
    expect(JSON.stringify(error.details)).not.toContain(value);
  });

  it.each(["WEBHOOK_TOKEN", "API_TOKEN"])("a two-word %s is rejected without echoing it", (name) => {
    const value = "Bearer s3cretWordThatIsLongEnough";
    const error = invalid({ [name]: value });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain("s3cretWordThatIsLongEnough");
    expect(JSON.stringify(error.details)).not.toContain("s3cretWordThatIsLongEnough");
  });

  it("accepts a 16-character one-word token, trimmed", () => {
    expect(parseSettings({ WEBHOOK_TOKEN: "  0123456789abcdef  " }).webhookToken).toBe("0123456789abcdef");
  });

  it("requireTokens names both missing token variables", () => {
    const error = requireTokensError(parseSettings({}));
    expect(error.message).toContain("WEBHOOK_TOKEN");
    expect(error.message).toContain("API_TOKEN");
  });

  it("requireTokens names only the missing one", () => {
    const onlyWebhook = requireTokensError(parseSettings({ WEBHOOK_TOKEN: TOKEN_A }));
    expect(onlyWebhook.message).toContain("API_TOKEN");
    expect(onlyWebhook.message).not.toContain("WEBHOOK_TOKEN");
    expect(onlyWebhook.message).not.toContain(TOKEN_A);

    const onlyApi = requireTokensError(parseSettings({ API_TOKEN: TOKEN_B }));
    expect(onlyApi.message).toContain("WEBHOOK_TOKEN");
    expect(onlyApi.message).not.toContain("API_TOKEN");
  });

  it("requireTokens passes settings with both tokens through", () => {
    const s = requireTokens(parseSettings({ WEBHOOK_TOKEN: TOKEN_A, API_TOKEN: TOKEN_B }));
    expect(s.webhookToken).toBe(TOKEN_A);
    expect(s.apiToken).toBe(TOKEN_B);
  });
});

describe("empty values count as unset", () => {
  it("uses every default when variables are present but empty", () => {
    const s = parseSettings({ PORT: "", RECONCILE_INTERVAL_MS: " ", LOG_LEVEL: "", EMBEDDED_S3_PORT: "", HOST: "", S3_REGION: "" });
    expect([s.port, s.reconcileIntervalMs, s.logLevel, s.embedded.s3Port, s.host, s.s3.region]).toEqual([
      5860, 10000, "info", 9100, "127.0.0.1", "us-east-1",
    ]);
  });
});

describe("bucket subscriptions: S3_NOTIFY, BOTSYNC_PUBLIC_URL, S3_NOTIFY_ARN", () => {
  it("is off by default, and then BOTSYNC_PUBLIC_URL and S3_NOTIFY_ARN are not needed", () => {
    expect(parseSettings({}).notify).toEqual({ mode: "off" });
    expect(parseSettings({ S3_NOTIFY: "off", S3_NOTIFY_ARN: "anything" }).notify).toEqual({ mode: "off" });
  });

  it("minio: MinIO's default target ARN, the public URL without trailing slashes", () => {
    expect(parseSettings({ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "https://botsync.example.com/base//" }).notify).toEqual({
      mode: "minio",
      publicUrl: "https://botsync.example.com/base",
      arn: "arn:minio:sqs::botsync:webhook",
    });
    const regional = parseSettings({ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "http://10.0.0.5:5860", S3_NOTIFY_ARN: "arn:minio:sqs:eu-1:gbo:webhook" });
    expect(regional.notify).toEqual({ mode: "minio", publicUrl: "http://10.0.0.5:5860", arn: "arn:minio:sqs:eu-1:gbo:webhook" });
  });

  it("ceph: topic botsync by default, or the topic S3_NOTIFY_ARN names", () => {
    expect(parseSettings({ S3_NOTIFY: "ceph", BOTSYNC_PUBLIC_URL: "http://127.0.0.1:5860" }).notify).toEqual({
      mode: "ceph",
      publicUrl: "http://127.0.0.1:5860",
      topic: "botsync",
    });
    expect(parseSettings({ S3_NOTIFY: "ceph", BOTSYNC_PUBLIC_URL: "http://h", S3_NOTIFY_ARN: "arn:aws:sns:default::botsync-prod" }).notify).toMatchObject({
      topic: "botsync-prod",
    });
  });

  it("webhookUrl appends the webhook route to the public URL", () => {
    expect(webhookUrl("https://botsync.example.com/base/")).toBe("https://botsync.example.com/base/webhooks/minio");
    expect(webhookUrl("http://127.0.0.1:5860")).toBe("http://127.0.0.1:5860/webhooks/minio");
  });

  it.each(["minio", "ceph"])("S3_NOTIFY=%s requires BOTSYNC_PUBLIC_URL", (mode) => {
    expect(invalid({ S3_NOTIFY: mode }).message).toBe(
      `invalid settings: BOTSYNC_PUBLIC_URL is required when S3_NOTIFY is ${mode}: the base URL the storage server uses to reach botsync`,
    );
  });

  it.each([
    [{ S3_NOTIFY: "yes" }, /^invalid settings: S3_NOTIFY must be off, minio or ceph \(got "yes"\)$/],
    [{ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "ftp://x" }, /BOTSYNC_PUBLIC_URL must be a http\(s\):\/\/ URL/],
    [{ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "https://x/?a=1" }, /BOTSYNC_PUBLIC_URL must be a base URL without query, fragment or credentials/],
    [{ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "https://u:p@x/" }, /BOTSYNC_PUBLIC_URL must be a base URL/],
    [{ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "https://x", S3_NOTIFY_ARN: "arn:minio:sqs::botsync:kafka" }, /S3_NOTIFY_ARN must be a MinIO webhook target ARN/],
    [{ S3_NOTIFY: "minio", BOTSYNC_PUBLIC_URL: "https://x", S3_NOTIFY_ARN: "arn:aws:sns:default::botsync" }, /S3_NOTIFY_ARN must be a MinIO webhook target ARN/],
    [{ S3_NOTIFY: "ceph", BOTSYNC_PUBLIC_URL: "https://x", S3_NOTIFY_ARN: "arn:minio:sqs::botsync:webhook" }, /S3_NOTIFY_ARN must be a radosgw topic ARN/],
    [{ S3_NOTIFY: "ceph", BOTSYNC_PUBLIC_URL: "https://x", S3_NOTIFY_ARN: "arn:aws:sns:default::bad/name" }, /S3_NOTIFY_ARN must be a radosgw topic ARN/],
  ])("%j is refused", (env, message) => {
    expect(invalid(env).message).toMatch(message);
  });
});
