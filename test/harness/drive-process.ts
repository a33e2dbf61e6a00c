/**
 * The drive in a process of its own — s3rver behind a counting proxy (counting-proxy.ts) — so that serving
 * a large object never shares an event loop with the service or the test that measures the service.
 *
 * As a script (`node --import tsx test/harness/drive-process.ts DIRECTORY`) it prints one JSON line once
 * listening: {"endpoint": proxy, "s3Endpoint": s3rver itself, "accessKeyId", "secretAccessKey"}, answers the
 * IPC message {cmd: "requests"} with {requests: DriveRequest[]}, and exits when its parent goes away.
 * `startDriveProcess` runs it and returns a handle.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { DriveRequest } from "./counting-proxy.js";

export interface DriveProcess {
  /** the proxy: give this to the service */
  endpoint: string;
  /** s3rver itself: uploads made here are not counted */
  s3Endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** what the service asked the drive for so far */
  requests(): Promise<DriveRequest[]>;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export async function startDriveProcess(directory: string): Promise<DriveProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SELF, directory], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  };
  try {
    const ready = await new Promise<Omit<DriveProcess, "requests" | "stop">>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line)));
      void exited.then(([code]) => reject(new Error(`the drive process exited with ${code}: ${stderr}`)));
    });
    return {
      ...ready,
      requests: () =>
        new Promise((resolve) => {
          child.once("message", (m: { requests: DriveRequest[] }) => resolve(m.requests));
          child.send({ cmd: "requests" });
        }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (process.argv[1] === SELF) {
  const { startEmbeddedS3 } = await import("../../src/adapters/embedded/s3-server.js");
  const { startCountingProxy } = await import("./counting-proxy.js");
  const s3 = await startEmbeddedS3({ directory: process.argv[2]!, port: 0 });
  const proxy = await startCountingProxy(s3.endpoint);
  const shutdown = () => void Promise.all([proxy.close(), s3.close()]).finally(() => process.exit(0));
  process.on("disconnect", shutdown);
  process.on("SIGTERM", shutdown);
  process.on("message", (m: { cmd?: string }) => {
    if (m?.cmd === "requests") process.send?.({ requests: proxy.requests });
  });
  process.stdout.write(JSON.stringify({ endpoint: proxy.endpoint, s3Endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }) + "\n");
}
