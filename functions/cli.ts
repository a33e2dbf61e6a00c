/**
 * `botsync` operator commands. status/sync/reconcile/events talk to a running service over its HTTP API
 * (so they see and use the same locks and queues); migrate talks to the database directly, subscribe to
 * the storage server.
 */
import { Command, Option } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorText } from "../src/core/errors.js";
import { parseSettings } from "../src/core/settings/settings.js";
import { sourceKindOf, validateSource } from "../src/core/validate/validate-source.js";
import { connectDatabase } from "../src/adapters/db/connect.js";
import { migrate } from "../src/adapters/db/migrate.js";
import { rotateMasterKey } from "../src/adapters/db/rotate-master-key.js";
import { FieldCipher } from "../src/adapters/crypto/field-cipher.js";
import { resolveSecrets } from "../src/adapters/settings/resolve-secrets.js";
import { createBucketNotifications } from "../src/adapters/drive/bucket-subscriptions.js";
import { S3Drive } from "../src/adapters/drive/s3-drive.js";
import { servedBuckets } from "../src/core/reconcile/served-buckets.js";
import { ApiClient, type RouteOutput } from "../src/handlers/api/client.js";
import { botConfigRoute, botDetailRoute, listBotsRoute } from "../src/handlers/api/bots.js";
import { eventsRoute } from "../src/handlers/api/events.js";
import { kbListRoute, kbReindexRoute } from "../src/handlers/api/kb.js";
import { reconcileAllRoute, syncBotRoute } from "../src/handlers/api/reconcile.js";
import packageJson from "../package.json" with { type: "json" };

// Like `npm start`: a ./.env (the production guide keeps VAULT_* there) fills what the environment lacks.
if (existsSync(".env")) process.loadEnvFile(".env");

// functions/cli.ts from the sources, dist/node/cli.mjs once built: the repository root is one or two levels up.
const here = dirname(fileURLToPath(import.meta.url));
const root = [join(here, ".."), join(here, "..", "..")].find((dir) => existsSync(join(dir, "webhooks", "setup-minio.sh")))!;
const program = new Command("botsync").description("event-driven storage functions for General Bots").version(packageJson.version);

const urlOption = new Option("--url <url>", "botsync service URL").env("BOTSYNC_URL").default("http://127.0.0.1:5860");
const tokenOption = new Option("--token <token>", "API token").env("API_TOKEN");
const jsonOption = new Option("--json", "print the raw JSON answer");

function api(opts: { url: string; token?: string }): ApiClient {
  if (!opts.token) throw new Error("the API token is required: set API_TOKEN or pass --token");
  return new ApiClient({ url: opts.url, token: opts.token });
}

function print(json: boolean, value: unknown, human: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : human());
}

program
  .command("migrate")
  .description("create or update botsync's tables (and the botserver's, if missing) in DATABASE_URL")
  .action(async () => {
    const { settings, secrets } = await resolveSecrets(parseSettings(process.env));
    if (!settings.databaseUrl) throw new Error("DATABASE_URL (or Vault gbo/tables) is required for migrate");
    const sql = connectDatabase(settings.databaseUrl, { max: 1, password: secrets.databasePassword });
    try {
      const applied = await migrate(sql);
      console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
    } finally {
      await sql.end();
    }
  });

program
  .command("subscribe")
  .description("subscribe every *.gbai bucket served (LOAD_ONLY) to botsync's notifications, as S3_NOTIFY says; prints each change")
  .option("--dry-run", "only print what would change")
  .action(async (opts: { dryRun?: boolean }) => {
    const { settings, secrets, warnings } = await resolveSecrets(parseSettings(process.env));
    for (const warning of warnings) console.error(`warning: ${warning}`);
    const notify = settings.notify;
    if (notify.mode === "off") throw new Error("S3_NOTIFY is off: set S3_NOTIFY=minio or S3_NOTIFY=ceph, and BOTSYNC_PUBLIC_URL");
    if (!settings.s3.endpoint) throw new Error("S3_ENDPOINT (or Vault gbo/drive) is required: the embedded drive hands its events to botsync itself");
    const credentials = secrets.driveCredentials ?? { accessKeyId: settings.s3.accessKey!, secretAccessKey: settings.s3.secretKey! };
    // radosgw's topic carries the webhook token; MinIO's target is configured on the server and needs none.
    const webhookToken = settings.vault ? (await secrets.tokens()).webhook : (settings.webhookToken ?? "");
    if (notify.mode === "ceph" && !webhookToken) throw new Error("S3_NOTIFY=ceph needs WEBHOOK_TOKEN: radosgw's topic carries it to botsync as OpaqueData");
    const server = { endpoint: settings.s3.endpoint, region: settings.s3.region, credentials };
    const drive = new S3Drive(server);
    try {
      const { served, ignored } = servedBuckets(await drive.listBuckets(), settings.loadOnly);
      for (const { bucket, reason } of ignored) console.error(`skipped ${bucket}: ${reason}`);
      const buckets = served.map((b) => b.bucket);
      const notifications = createBucketNotifications(notify, { ...server, webhookToken });
      const plan = opts.dryRun ? await notifications.plan(buckets) : await notifications.subscribe(buckets);
      const lines = [`${notify.mode === "minio" ? "MinIO webhook target" : "radosgw topic"} ${plan.target}, ${buckets.length} bucket(s) served`];
      for (const change of plan.changes) lines.push(`${opts.dryRun ? "would " : ""}${change.detail}`);
      if (plan.unchanged.length > 0) lines.push(`already subscribed: ${plan.unchanged.join(", ")}`);
      if (opts.dryRun && plan.changes.length > 0) lines.push("dry run: nothing was changed");
      console.log(lines.join("\n"));
    } finally {
      drive.destroy();
    }
  });

program
  .command("validate")
  .argument("<files...>", ".bas dialogs and config.csv files")
  .description("check files before uploading them; prints file:line:col: severity: message, exits 1 on errors")
  .addOption(jsonOption)
  .action(async (files: string[], opts: { json?: boolean }) => {
    let errors = 0;
    const results = [];
    for (const file of files) {
      const kind = sourceKindOf(basename(file));
      if (!kind) throw new Error(`${file}: not a .bas or config.csv file`);
      const result = validateSource({ kind, name: basename(file).replace(/\.(bas|csv)$/i, ""), text: await readFile(file) });
      results.push({ file, ...result });
      errors += result.diagnostics.filter((d) => d.severity === "error").length;
      if (!opts.json) for (const d of result.diagnostics) console.log(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    }
    if (opts.json) console.log(JSON.stringify(results, null, 2));
    else console.error(`${files.length} file(s), ${errors} error(s)`);
    if (errors > 0) process.exitCode = 1;
  });

program
  .command("rotate-master-key")
  .description("re-encrypt every sensitive config value from the old master key to the current one")
  .requiredOption("--old-key-env <name>", "environment variable holding the OLD master key (never pass keys as arguments)")
  .action(async (opts: { oldKeyEnv: string }) => {
    const oldKey = process.env[opts.oldKeyEnv];
    if (!oldKey) throw new Error(`${opts.oldKeyEnv} is not set`);
    const { settings, secrets, warnings } = await resolveSecrets(parseSettings(process.env));
    for (const warning of warnings) console.error(`warning: ${warning}`);
    const newKey = await secrets.masterKey();
    if (!newKey) throw new Error("no current master key: set it in Vault (gbo/encryption master_key) or ENCRYPTION_MASTER_KEY");
    if (newKey === oldKey) throw new Error("the old and the current master key are the same");
    if (!settings.databaseUrl) throw new Error("DATABASE_URL (or Vault gbo/tables) is required");
    const sql = connectDatabase(settings.databaseUrl, { max: 1, password: secrets.databasePassword });
    try {
      const report = await rotateMasterKey(sql, await FieldCipher.create(oldKey), await FieldCipher.create(newKey));
      console.log(`re-encrypted ${report.rotated} value(s); ${report.alreadyCurrent} already under the current key`);
    } finally {
      await sql.end();
    }
  });

program
  .command("status")
  .argument("[bot]", "one bot's objects, config sync and drift")
  .description("sync state of every bot, or of one bot")
  .addOption(urlOption)
  .addOption(tokenOption)
  .addOption(jsonOption)
  .action(async (bot: string | undefined, opts) => {
    if (!bot) {
      const body = await api(opts).call(listBotsRoute, {});
      return print(opts.json, body, () =>
        body.bots
          .map((b) => `${b.name.padEnd(24)} ${String(b.synced).padStart(5)} synced ${String(b.pending).padStart(4)} pending ${String(b.retrying).padStart(4)} retrying ${String(b.failed).padStart(4)} failed${b.active ? "" : "  (inactive)"}`)
          .join("\n") || "no bots yet",
      );
    }
    const body = await api(opts).call(botDetailRoute, { params: { bot } });
    print(opts.json, body, () => {
      const lines = body.objects.map(
        (o) => `${o.status.padEnd(8)} ${o.key}${o.lastError ? `\n         ${o.lastError}` : ""}${o.diagnostics.map((d) => `\n         line ${d.line}: ${d.message}`).join("")}`,
      );
      const sub = body.subscription;
      const subscription = !sub
        ? []
        : [`subscription (${sub.mode}): ${sub.state}${sub.target ? ` → ${sub.target}` : ""}${sub.error ? ` (${sub.error})` : ""}`, ...(sub.problems ?? []).map((p) => `  ${p}`)];
      const drift = body.drift.inSync === null ? `drift: unknown (${body.drift.error})` : body.drift.inSync ? "in sync with the bucket" : `drift:\n${body.drift.entries.map((d) => `  ${d.kind.padEnd(18)} ${d.key}`).join("\n")}`;
      return [...lines, drift, ...subscription].join("\n");
    });
  });

program
  .command("sync")
  .argument("<bot>")
  .description("reconcile one bot now")
  .addOption(urlOption)
  .addOption(tokenOption)
  .addOption(jsonOption)
  .action(async (bot: string, opts) => {
    const body = await api(opts).call(syncBotRoute, { params: { bot } });
    print(opts.json, body, () => `queued ${body.queued} change(s) in ${body.durationMs} ms`);
  });

program
  .command("reconcile")
  .description("reconcile every bot now")
  .addOption(urlOption)
  .addOption(tokenOption)
  .addOption(jsonOption)
  .action(async (opts) => {
    const body = await api(opts).call(reconcileAllRoute, {});
    print(opts.json, body, () => `queued ${body.queued} change(s) across ${body.buckets.length} bucket(s) in ${body.durationMs} ms`);
  });

program
  .command("reindex")
  .argument("<bot>")
  .description("index a bot's knowledge base (or one KB) again, with a progress bar")
  .option("--kb <kb>", "only this KB")
  .option("--timeout <seconds>", "give up waiting after this long", "3600")
  .addOption(urlOption)
  .addOption(tokenOption)
  .action(async (bot: string, opts) => {
    const client = api(opts);
    const started = await client.call(kbReindexRoute, { params: { bot }, query: { kb: opts.kb } });
    if (started.queued === 0) return console.log("no documents to index");
    const bar = new SingleBar({ format: "indexing {bar} {value}/{total} documents | {failed} failed", hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
    bar.start(started.queued, 0, { failed: 0 });
    const deadline = Date.now() + Number(opts.timeout) * 1000;
    let documents: RouteOutput<typeof kbListRoute>["documents"] = [];
    for (;;) {
      const state = await client.call(kbListRoute, { params: { bot } });
      documents = state.documents.filter((d) => !opts.kb || d.kb === opts.kb);
      const pending = documents.filter((d) => d.status === "pending").length;
      bar.update(Math.max(0, started.queued - pending), { failed: documents.filter((d) => d.status === "failed" || d.status === "retry").length });
      if (pending === 0) break;
      if (Date.now() > deadline) {
        bar.stop();
        throw new Error(`${pending} document(s) still pending after ${opts.timeout} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    bar.stop();
    const failed = documents.filter((d) => d.status === "failed" || d.status === "retry");
    for (const d of failed) console.error(`${d.key}: ${d.lastError}`);
    console.log(`indexed ${documents.length - failed.length} document(s), ${failed.length} failed`);
    if (failed.length > 0) process.exitCode = 1;
  });

program
  .command("events")
  .description("recent notifications and what became of them")
  .option("--bot <bot>", "only this bot")
  .option("--limit <n>", "how many", "50")
  .addOption(urlOption)
  .addOption(tokenOption)
  .addOption(jsonOption)
  .action(async (opts) => {
    const body = await api(opts).call(eventsRoute, { query: { limit: opts.limit, bot: opts.bot } });
    print(opts.json, body, () =>
      body.events.map((e) => `${e.receivedAt} ${e.result.padEnd(10)} ${e.eventName} ${e.bucket}/${e.key}${e.reason ? `  (${e.reason})` : ""}`).join("\n"),
    );
  });

program
  .command("setup-minio")
  .description("point an existing MinIO at botsync (runs webhooks/setup-minio.sh; see --help there)")
  .allowUnknownOption()
  .helpOption(false)
  .argument("[args...]")
  .action(async (args: string[]) => {
    const code = await new Promise<number>((resolve) => {
      spawn("bash", [join(root, "webhooks", "setup-minio.sh"), ...args], { stdio: "inherit" }).on("exit", (c) => resolve(c ?? 1));
    });
    process.exitCode = code;
  });

program.parseAsync(process.argv).catch((error) => {
  console.error(`botsync: ${errorText(error)}`);
  process.exitCode = 1;
});
