/**
 * VaultStore's cache against the Vault KV v2 double: what is served from memory within the TTL, when Vault
 * is asked again, and what a sealed Vault does to a cached and to an expired secret. The TTL runs on a
 * ManualClock, so nothing here waits for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VaultStore } from "../../src/adapters/secrets/vault-store.js";
import { ManualClock } from "../harness/manual-clock.js";
import { startVaultDouble, type VaultDouble } from "../harness/vault-double.js";

const TTL_MS = 300_000;
let vault: VaultDouble;

beforeAll(async () => {
  vault = await startVaultDouble();
});
afterAll(async () => {
  await vault?.close();
});

function store(clock: ManualClock): VaultStore {
  return new VaultStore({ address: vault.address, token: vault.token, mount: "secret", ttlMs: TTL_MS, skipVerify: false, clock });
}

/** how many times Vault was asked for `path` */
const readsOf = (path: string) => vault.reads.filter((p) => p === path).length;

describe("VaultStore's cache", () => {
  it("serves a secret from memory for the TTL, then asks Vault again and sees a rotation", async () => {
    const clock = new ManualClock();
    const vaultStore = store(clock);
    vault.set("gbo/ttl", { key: "first" });
    const before = readsOf("gbo/ttl");
    expect(await vaultStore.read("gbo/ttl")).toEqual({ key: "first" });
    vault.set("gbo/ttl", { key: "second" });
    clock.advance(TTL_MS - 1);
    expect(await vaultStore.read("gbo/ttl")).toEqual({ key: "first" });
    expect(readsOf("gbo/ttl") - before).toBe(1);
    clock.advance(1);
    expect(await vaultStore.read("gbo/ttl")).toEqual({ key: "second" });
    expect(readsOf("gbo/ttl") - before).toBe(2);
  });

  it("remembers a missing secret for the TTL too", async () => {
    const clock = new ManualClock();
    const vaultStore = store(clock);
    const before = readsOf("gbo/absent");
    expect(await vaultStore.read("gbo/absent")).toBeNull();
    vault.set("gbo/absent", { now: "there" });
    try {
      expect(await vaultStore.read("gbo/absent")).toBeNull();
      clock.advance(TTL_MS);
      expect(await vaultStore.read("gbo/absent")).toEqual({ now: "there" });
      expect(readsOf("gbo/absent") - before).toBe(2);
    } finally {
      vault.remove("gbo/absent");
    }
  });

  it("asks Vault once for reads of the same path made at the same time", async () => {
    const vaultStore = store(new ManualClock());
    vault.set("gbo/together", { v: "1" });
    const before = readsOf("gbo/together");
    const answers = await Promise.all([vaultStore.read("gbo/together"), vaultStore.read("gbo/together"), vaultStore.read("gbo/together")]);
    expect(answers).toEqual([{ v: "1" }, { v: "1" }, { v: "1" }]);
    expect(readsOf("gbo/together") - before).toBe(1);
  });

  it("keeps serving a cached secret while Vault is sealed, and names the seal once the secret expires", async () => {
    const clock = new ManualClock();
    const vaultStore = store(clock);
    vault.set("gbo/sealed", { v: "kept" });
    expect(await vaultStore.read("gbo/sealed")).toEqual({ v: "kept" });
    vault.seal();
    try {
      expect(await vaultStore.read("gbo/sealed")).toEqual({ v: "kept" });
      expect(await vaultStore.check()).toEqual({ ok: false, source: "vault", detail: `Vault at ${vault.address} is sealed` });
      clock.advance(TTL_MS);
      await expect(vaultStore.read("gbo/sealed")).rejects.toMatchObject({
        code: "SECRETS_UNAVAILABLE",
        message: `Vault at ${vault.address} is sealed (reading secret/data/gbo/sealed)`,
      });
    } finally {
      vault.unseal();
    }
    expect(await vaultStore.read("gbo/sealed")).toEqual({ v: "kept" });
    expect(await vaultStore.check()).toEqual({ ok: true, source: "vault" });
  });
});
