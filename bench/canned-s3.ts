/**
 * A stand-in S3 endpoint that answers ListBuckets and ListObjectsV2 from precomputed XML (the listing s3rver
 * gave for the same buckets) and nothing else. It does no work per request beyond writing a string, so a
 * reconcile tick against it costs: our code + the AWS SDK (signing, HTTP, XML parsing) + loopback round
 * trips. That is a lower bound for a real MinIO, whereas s3rver (which reads three files per object per
 * listing) is far slower than MinIO. Used by section 3 only.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { DriveObjectInfo } from "../src/core/ports/drive.js";

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export interface CannedS3 {
  endpoint: string;
  requests: number;
  close(): Promise<void>;
}

export async function startCannedS3(buckets: Map<string, DriveObjectInfo[]>): Promise<CannedS3> {
  const created = new Date("2026-01-01T00:00:00.000Z").toISOString();
  const listBuckets =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>bench</ID><DisplayName>bench</DisplayName></Owner><Buckets>` +
    [...buckets.keys()].map((b) => `<Bucket><Name>${xml(b)}</Name><CreationDate>${created}</CreationDate></Bucket>`).join("") +
    `</Buckets></ListAllMyBucketsResult>`;
  const listings = new Map<string, string>();
  for (const [bucket, objects] of buckets) {
    listings.set(
      bucket,
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}"><Name>${xml(bucket)}</Name><Prefix></Prefix>` +
        `<KeyCount>${objects.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
        objects
          .map(
            (o) =>
              `<Contents><Key>${xml(o.key)}</Key><LastModified>${(o.lastModified ?? new Date(0)).toISOString()}</LastModified>` +
              `<ETag>&quot;${xml(o.etag)}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
          )
          .join("") +
        `</ListBucketResult>`,
    );
  }

  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    const url = new URL(req.url ?? "/", "http://x");
    const bucket = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ""));
    let body: string | undefined;
    if (req.method === "GET" && bucket === "") body = listBuckets;
    else if (req.method === "GET" && url.searchParams.get("list-type") === "2") body = listings.get(bucket);
    req.resume();
    if (body === undefined) {
      res.writeHead(404, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>not in the canned listing</Message></Error>`);
      return;
    }
    res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
