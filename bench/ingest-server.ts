/**
 * The service under load for section 2, in its own process so the load generator does not share its event
 * loop: startNodeService against the DATABASE_URL / S3_* it is given, job lanes running (default lanes),
 * pool 10, reconcile timer off. Prints one JSON line on stdout once listening:
 *   {"ready":true,"url":"http://127.0.0.1:PORT","webhookToken":"…","pid":N}
 * IPC messages (when spawned with an IPC channel):
 *   {cmd:"stats"} → {stats:{memory, resourceUsage, logLines, warnings}}
 *   {cmd:"stop"}  → closes the service, answers {stopped:true}, exits 0
 * It also exits when the parent goes away (IPC disconnect or stdin closed).
 * Log lines are counted, not printed (a production log collector would drain stdout; here that would be
 * the bench's own pipe, i.e. CPU spent by the load generator).
 */
import { parseSettings } from "../src/core/settings/settings.js";
import { JsonLogger } from "../src/adapters/log/json-logger.js";
import { startNodeService, type NodeService } from "../functions/node-service.js";

const logLines: Record<string, number> = {};
const warnings: string[] = [];
const log = new JsonLogger({ service: "botsync-bench-ingest" }, "info", (level, line) => {
  logLines[level] = (logLines[level] ?? 0) + 1;
  if ((level === "warn" || level === "error") && warnings.length < 20) warnings.push(line);
});

let service: NodeService | null = null;
let stopping: Promise<void> | null = null;

function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    try {
      await service?.close();
    } catch (error) {
      process.stderr.write(`ingest-server: close failed: ${(error as Error).message}\n`);
    }
    process.exitCode = code;
  })();
  return stopping;
}

process.on("disconnect", () => void stop(0).then(() => process.exit()));
process.on("SIGTERM", () => void stop(0).then(() => process.exit()));
process.on("SIGINT", () => void stop(0).then(() => process.exit()));

process.on("message", (message: { cmd?: string }) => {
  if (message?.cmd === "stats") {
    process.send?.({
      stats: {
        memory: process.memoryUsage(),
        resourceUsage: process.resourceUsage(),
        logLines,
        warnings,
      },
    });
  } else if (message?.cmd === "stop") {
    void stop(0).then(() => {
      process.send?.({ stopped: true }, () => process.disconnect?.());
    });
  }
});

try {
  // PORT from the environment when given: the real-notifier section tells radosgw the URL before the start.
  const settings = parseSettings({ ...process.env, PORT: process.env.PORT ?? "0", HOST: "127.0.0.1" });
  const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);
  service = await startNodeService(settings, { log, reconcileTimer: false, poolSize });
  process.stdout.write(JSON.stringify({ ready: true, url: service.url, webhookToken: process.env.WEBHOOK_TOKEN ?? service.tokens.webhook, pid: process.pid }) + "\n");
} catch (error) {
  process.stderr.write(`ingest-server: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  await stop(1);
  process.exit(1);
}
