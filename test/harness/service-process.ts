/**
 * botsync as `npm start` runs it — bundled by esbuild with the options of `npm run build`, run by plain
 * Node — in a child process of its own, so its memory (VmHWM, the peak resident set, from /proc) and its
 * /health latency are the service's alone, not the test's or the drive's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { buildIfStale } from "../../bin/build.mjs";

export interface ServiceProcess {
  url: string;
  pid: number;
  /** the log lines it printed (JSON), parsed */
  logs: Array<Record<string, unknown>>;
  /** current and peak resident set of the process, MiB */
  memory(): { rssMb: number; hwmMb: number };
  stop(): Promise<void>;
}

/**
 * Starts the service from dist/node — `npm run build`'s bundle, brought up to date first if a source is
 * newer (the test run's global setup already did; bench runs may not have) — with `env` as its whole
 * environment (plus PATH), in an empty working directory (no .env).
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const outdir = await buildIfStale();
  const cwd = await mkdtemp(join(tmpdir(), "botsync-service-"));
  const child: ChildProcess = spawn(process.execPath, [join(outdir, "node.mjs")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => { if (process.env.KBS_DEBUG) process.stderr.write(c); stderr = (stderr + c.toString()).slice(-4000); });
  const exited = once(child, "exit");
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(cwd, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on("line", (line) => {
        const listening = /^botsync listening on (\S+)/.exec(line);
        if (listening) resolve(listening[1]!);
        else if (line.startsWith("{")) logs.push(JSON.parse(line) as Record<string, unknown>);
      });
      void exited.then(([code]) => reject(new Error(`the service exited with ${code} before listening: ${stderr}`)));
    });
    const pid = child.pid!;
    return {
      url,
      pid,
      logs,
      memory: () => procMemoryMb(pid),
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** VmRSS and VmHWM of a process, MiB (Linux /proc). */
export function procMemoryMb(pid: number): { rssMb: number; hwmMb: number } {
  const status = readProc(`/proc/${pid}/status`);
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb("VmRSS") / 1024), hwmMb: Math.round(kb("VmHWM") / 1024) };
}

function readProc(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
