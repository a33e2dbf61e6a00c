/**
 * A Vault KV v2 HTTP double that answers like the real server (docs/notifications.md, "Vault KV v2 answers"): the
 * read envelope, 404 `{"errors":[]}` for a missing path, 403 "permission denied" for a bad or expired token,
 * 503 `{"errors":["Vault is sealed"]}` when sealed, and /v1/sys/health with its status codes and body.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface VaultDouble {
  address: string;
  token: string;
  /** writes a new version of a secret (KV v2 `data/` path without the mount, e.g. "gbo/tables") */
  set(path: string, data: Record<string, string>): void;
  remove(path: string): void;
  seal(): void;
  unseal(): void;
  /** the token stops working (403), like an expired token */
  revokeToken(): void;
  /** every secret path read, in order */
  reads: string[];
  close(): Promise<void>;
}

const PERMISSION_DENIED = { errors: ["1 error occurred:\n\t* permission denied\n\n"] };

export async function startVaultDouble(options: { mount?: string; token?: string } = {}): Promise<VaultDouble> {
  const mount = options.mount ?? "secret";
  const token = options.token ?? `hvs.${randomUUID().replace(/-/g, "")}`;
  const secrets = new Map<string, { data: Record<string, string>; version: number; created: string }>();
  let sealed = false;
  let tokenValid = true;
  const reads: string[] = [];

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://vault");
    if (url.pathname === "/v1/sys/health") {
      const body = {
        initialized: true,
        sealed,
        standby: false,
        performance_standby: false,
        replication_performance_mode: "disabled",
        replication_dr_mode: "disabled",
        server_time_utc: Math.floor(Date.now() / 1000),
        version: "1.19.0",
        cluster_name: "vault-cluster-test",
        cluster_id: "5f2c9a1e-0000-4000-8000-000000000000",
      };
      return send(sealed ? 503 : 200, body);
    }
    if (sealed) return send(503, { errors: ["Vault is sealed"] });
    if (!tokenValid || req.headers["x-vault-token"] !== token) return send(403, PERMISSION_DENIED);
    const prefix = `/v1/${mount}/data/`;
    if (req.method !== "GET" || !url.pathname.startsWith(prefix)) return send(404, { errors: [] });
    const path = decodeURIComponent(url.pathname.slice(prefix.length));
    reads.push(path);
    const secret = secrets.get(path);
    if (!secret) return send(404, { errors: [] });
    send(200, {
      request_id: randomUUID(),
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      data: {
        data: secret.data,
        metadata: { created_time: secret.created, custom_metadata: null, deletion_time: "", destroyed: false, version: secret.version },
      },
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: "kv",
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `http://127.0.0.1:${port}`,
    token,
    reads,
    set(path, data) {
      const version = (secrets.get(path)?.version ?? 0) + 1;
      secrets.set(path, { data, version, created: new Date().toISOString().replace("Z", "000Z") });
    },
    remove(path) {
      secrets.delete(path);
    },
    seal() {
      sealed = true;
    },
    unseal() {
      sealed = false;
    },
    revokeToken() {
      tokenValid = false;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // idle kept-alive clients would hold close() for the server's keep-alive timeout
        server.closeAllConnections();
      }),
  };
}
