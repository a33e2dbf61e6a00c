/**
 * `npm start`: botsync as a Node service. With nothing configured it runs on the embedded default — an
 * S3-compatible drive on 127.0.0.1:9100 and PGlite — and seeds the demo bot from examples/.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, dirname } from "node:path";
import { errorText } from "../src/core/errors.js";
import { parseSettings } from "../src/core/settings/settings.js";
import { JsonLogger } from "../src/adapters/log/json-logger.js";
import { resolveSecrets } from "../src/adapters/settings/resolve-secrets.js";
import { startNodeService } from "./node-service.js";
import { seedExamples } from "./seed-demo.js";

async function main(): Promise<void> {
  // The production guide keeps only VAULT_* in .env; variables already in the environment win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { settings, secrets, warnings } = await resolveSecrets(parseSettings(process.env));
  const log = new JsonLogger({ service: "botsync" }, settings.logLevel);
  for (const warning of warnings) log.warn(warning);
  const service = await startNodeService(settings, { log, secrets });
  // Only generated tokens are shown: configured ones already live where the operator put them.
  const shown = (token: string) => (secrets.source === "generated" ? token : `<token from ${secrets.source}>`);
  const lines = [
    `botsync listening on ${service.url}`,
    `  console   ${service.url}/                     (sign in with the API token: ${shown(service.tokens.api)})`,
    `  webhook   POST ${service.url}/webhooks/minio   (Authorization: Bearer ${shown(service.tokens.webhook)})`,
    `  API       ${service.url}/api/bots             (Authorization: Bearer ${shown(service.tokens.api)})`,
    `  health    ${service.url}/health`,
  ];
  if (service.embeddedS3) {
    const s3 = service.embeddedS3;
    lines.push(
      `embedded drive (S3-compatible) at ${s3.endpoint}   access key ${s3.accessKeyId}   secret key ${s3.secretAccessKey}`,
      // The AWS CLI reads no keys from anywhere here: the command carries the drive's own.
      `  try: AWS_ACCESS_KEY_ID=${s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey} AWS_DEFAULT_REGION=${settings.s3.region} \\`,
      `         aws --endpoint-url ${s3.endpoint} s3 cp config.csv s3://demo.gbai/demo.gbot/config.csv`,
    );
  }
  if (!settings.databaseUrl) lines.push(`embedded database (PGlite): postgres://postgres@127.0.0.1:${settings.embedded.postgresPort}/postgres (one connection at a time)`);
  console.log(lines.join("\n"));

  if (service.embeddedS3) {
    // functions/node.ts in development, dist/node/node.mjs once built: examples/ is one or two levels up.
    const here = dirname(fileURLToPath(import.meta.url));
    const examples = [join(here, "..", "examples"), join(here, "..", "..", "examples")].find((dir) => existsSync(dir))!;
    const seeded = await seedExamples(examples, {
      endpoint: service.embeddedS3.endpoint,
      region: settings.s3.region,
      accessKeyId: service.embeddedS3.accessKeyId,
      secretAccessKey: service.embeddedS3.secretAccessKey,
    });
    if (seeded.length > 0) {
      await service.notificationsIdle();
      console.log(`seeded ${seeded.join(", ")} from examples/ — see ${service.url}/bots/demo (console) or ${service.url}/api/bots/demo`);
    }
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    void service.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`botsync could not start: ${errorText(error)}`);
  process.exit(1);
});
