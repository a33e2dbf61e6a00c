import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embeddedSecrets } from "../../src/adapters/settings/embedded-secrets.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "botsync-secrets-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = () => join(dir, "secrets.json");

describe("embedded default secrets (DATA_DIR/secrets.json)", () => {
  it("a missing file is a first start: generated once, mode 0600, the same on the next start", async () => {
    const first = await embeddedSecrets(dir);
    expect(first.masterKey.length).toBeGreaterThanOrEqual(32);
    expect(new Set([first.webhook, first.api, first.masterKey]).size).toBe(3);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect(await embeddedSecrets(dir)).toEqual(first);
  });

  it("a file that is not JSON stops start-up with its path and reason, and is left as it was", async () => {
    await writeFile(file(), '{"masterKey": "truncated-by-a-full-disk');
    await expect(embeddedSecrets(dir)).rejects.toMatchObject({
      code: "SETTINGS_INVALID",
      message: expect.stringMatching(new RegExp(`^${file().replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} .*not valid JSON`)),
    });
    expect(await readFile(file(), "utf8")).toBe('{"masterKey": "truncated-by-a-full-disk');
  });

  it("a file that cannot be read stops start-up instead of being replaced", async () => {
    await mkdir(file()); // EISDIR on read
    await expect(embeddedSecrets(dir)).rejects.toMatchObject({ code: "SETTINGS_INVALID", message: expect.stringContaining("cannot read it") });
  });

  it("an invalid value stops start-up; it is never silently regenerated", async () => {
    const saved = { webhook: "w".repeat(40), api: "a".repeat(40), masterKey: "short" };
    await writeFile(file(), JSON.stringify(saved));
    await expect(embeddedSecrets(dir)).rejects.toMatchObject({ message: expect.stringContaining('"masterKey" is not a string of at least 32 characters') });
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual(saved);
  });

  it("a value missing from a valid file is generated and added; the others are kept", async () => {
    const masterKey = "m".repeat(44);
    await writeFile(file(), JSON.stringify({ masterKey }));
    const secrets = await embeddedSecrets(dir);
    expect(secrets.masterKey).toBe(masterKey);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual(secrets);
    // the write went through a temporary file that is gone now
    expect(await readdir(dir)).toEqual(["secrets.json"]);
  });
});
