/**
 * webhooks/setup-minio.sh --dry-run: prints the plan without a server and without the MinIO client, and
 * picks the client binary from MC, mc, or mcli (Debian's name; there `mc` is Midnight Commander).
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "..", "..", "webhooks", "setup-minio.sh");
const TOKEN = "s3cr3t-webhook-token-0123456789";
const ENDPOINT = "https://botsync.example.com/webhooks/minio";
let dir: string;

/**
 * A stand-in that answers --version as the named program and logs every call: it shows which binary the
 * script picks and that a dry run runs nothing else (no MinIO server or client exists here).
 */
async function fakeBinary(binDir: string, name: string, version: string): Promise<string> {
  const bin = join(binDir, name);
  await writeFile(bin, `#!/bin/sh\necho "$0 $*" >> "${join(dir, "calls.log")}"\n[ "$1" = "--version" ] && echo "${version}"\nexit 0\n`);
  await chmod(bin, 0o755);
  return bin;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script with PATH = `binDirs` + the system tools, and no server anywhere. */
function setup(args: string[], options: { binDirs?: string[]; env?: Record<string, string> } = {}): Promise<Result> {
  const path = [...(options.binDirs ?? []), "/usr/local/bin", "/usr/bin", "/bin"].join(":");
  return new Promise((resolve) => {
    execFile("bash", [script, ...args], { env: { PATH: path, WEBHOOK_TOKEN: TOKEN, ...options.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function calls(): Promise<string[]> {
  return (await readFile(join(dir, "calls.log"), "utf8").catch(() => "")).split("\n").filter(Boolean);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "botsync-setup-minio-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("setup-minio.sh --dry-run", () => {
  it("prints the whole plan with no server and no MinIO client, never the token", async () => {
    const r = await setup(["--dry-run", "--endpoint", ENDPOINT, "gbo"]);
    expect(r.code).toBe(0);
    // /usr/bin/mc may be Midnight Commander: then, as with no mc at all, the plan still says mc.
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      `[dry-run] mc admin config set gbo notify_webhook:botsync enable=on endpoint=${ENDPOINT} auth_token=**** queue_dir=/opt/gbo/data/minio-events`,
      "[dry-run] mc admin service restart gbo",
      "[dry-run] (wait until 'mc admin info gbo' succeeds)",
      "[dry-run] (list the *.gbai buckets with 'mc ls --json gbo')",
      "[dry-run] mc event add gbo/BUCKET arn:minio:sqs::botsync:webhook --event put,delete for each BUCKET that does not have arn:minio:sqs::botsync:webhook yet",
    ]);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("uses mcli when mc is Midnight Commander, and only asks mc for --version", async () => {
    const bins = join(dir, "debian");
    await mkdir(bins, { recursive: true });
    await fakeBinary(bins, "mc", "GNU Midnight Commander 4.8.29");
    await fakeBinary(bins, "mcli", "mcli version RELEASE.2025-04-16T18-13-26Z (commit-id=abc)");
    const r = await setup(["--dry-run", "--bucket", "newbot.gbai", "--region", "eu-1", "gbo"], { binDirs: [bins] });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("[dry-run] mcli event add gbo/newbot.gbai arn:minio:sqs:eu-1:botsync:webhook --event put,delete (skipped if newbot.gbai already has arn:minio:sqs:eu-1:botsync:webhook)");
    expect((await calls()).map((c) => c.replace(/^.*\//, ""))).toEqual(["mc --version"]);
  });

  it("uses MC when set, without running it in a dry run", async () => {
    const r = await setup(["--dry-run", "--target-only", "--endpoint", ENDPOINT, "--queue-limit", "5000", "gbo"], {
      env: { MC: "/opt/minio/bin/mc" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      `[dry-run] /opt/minio/bin/mc admin config set gbo notify_webhook:botsync enable=on endpoint=${ENDPOINT} auth_token=**** queue_dir=/opt/gbo/data/minio-events queue_limit=5000`,
      "[dry-run] /opt/minio/bin/mc admin service restart gbo",
      "[dry-run] (wait until '/opt/minio/bin/mc admin info gbo' succeeds)",
    ]);
    expect(r.stderr).toContain("botsync (S3_NOTIFY=minio, S3_NOTIFY_ARN=arn:minio:sqs::botsync:webhook) subscribes the buckets itself");
  });

  it("without --dry-run, a missing or wrong client is a clear error before anything runs", async () => {
    const none = await setup(["--events-only", "gbo"], { binDirs: [join(dir, "nothing-here")] });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/setup-minio: (the MinIO client is not installed \(neither mc nor mcli on PATH\)|'mc' here is not the MinIO client)/);
    const bins = join(dir, "midnight");
    await mkdir(bins, { recursive: true });
    await fakeBinary(bins, "mc", "GNU Midnight Commander 4.8.29");
    const midnight = join(bins, "mc");
    const wrong = await setup(["--events-only", "gbo"], { env: { MC: midnight } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`MC=${midnight} does not answer --version like the MinIO client`);
  });

  it("still validates its input in a dry run", async () => {
    const r = await setup(["--dry-run", "--endpoint", "ftp://x", "gbo"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("BOTSYNC_ENDPOINT must be an http:// or https:// URL");
  });
});
