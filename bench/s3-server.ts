/**
 * s3rver (startEmbeddedS3, no event forwarding) in its own process, standing in for MinIO, which never shares
 * the service's event loop either. Usage: node --import tsx bench/s3-server.ts DIRECTORY
 * Prints one JSON line once listening: {"endpoint":"http://127.0.0.1:PORT","accessKeyId":"…","secretAccessKey":"…","pid":N}
 * Exits when the parent goes away (IPC disconnect) or on SIGTERM/SIGINT.
 */
import { startEmbeddedS3, type EmbeddedS3 } from "../src/adapters/embedded/s3-server.js";

const directory = process.argv[2];
if (!directory) {
  process.stderr.write("usage: s3-server.ts DIRECTORY\n");
  process.exit(2);
}

let s3: EmbeddedS3 | null = null;
let closing = false;
function shutdown(): void {
  if (closing) return;
  closing = true;
  void (s3?.close() ?? Promise.resolve()).finally(() => process.exit(0));
}
process.on("disconnect", shutdown);
process.on("message", (m: { cmd?: string }) => {
  if (m?.cmd === "stop") shutdown();
});
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

s3 = await startEmbeddedS3({ directory, port: 0 });
process.stdout.write(JSON.stringify({ endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, pid: process.pid }) + "\n");
