/**
 * An HTTP proxy in front of the S3 server that records every request the service makes to the drive and
 * how many body bytes the drive sent back for it — so a test can prove that a document was refused from
 * its metadata alone (a HEAD, no GET) or that a download stopped early.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface DriveRequest {
  method: string;
  /** the path, decoded: /bucket/key */
  path: string;
  /** response body bytes that reached the service (or were sent before it hung up) */
  bytes: number;
  status: number;
}

export interface CountingProxy {
  endpoint: string;
  requests: DriveRequest[];
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const requests: DriveRequest[] = [];
  const server: Server = createServer((req, res) => {
    const record: DriveRequest = { method: req.method ?? "", path: decodeURIComponent((req.url ?? "").split("?")[0]!), bytes: 0, status: 0 };
    requests.push(record);
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        record.status = upstreamRes.statusCode ?? 0;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.on("data", (chunk: Buffer) => {
          record.bytes += chunk.length;
          // backpressure: the drive sends no faster than the service reads
          if (!res.write(chunk)) {
            upstreamRes.pause();
            res.once("drain", () => upstreamRes.resume());
          }
        });
        upstreamRes.on("end", () => res.end());
        // the service hung up (it stopped reading): stop pulling from the drive too
        res.on("close", () => upstreamRes.destroy());
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
