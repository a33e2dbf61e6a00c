/**
 * No MinIO server can run here, so this is a double of MinIO's bucket `?notification` API, faithful to what
 * matters: GET returns the stored configuration (an empty one at first), PUT replaces the whole
 * configuration, and a PUT naming a target ARN the server does not have, or two overlapping entries for one
 * target, is refused with MinIO's InvalidArgument error body. Buckets exist once they are in `configs`.
 */
import { createServer, type Server } from "node:http";

export const EMPTY = '<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>';

function minioError(code: string, message: string, bucket: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName><Resource>/${bucket}</Resource><RequestId>18A2B3C4D5E6F708</RequestId><HostId>dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8</HostId></Error>`;
}

/** MinIO's bucket notification API, for the buckets in `configs`, with the targets in `arns`. */
export function startMinioDouble(arns: Set<string>) {
  const configs = new Map<string, string>();
  const puts: Array<{ bucket: string; body: string }> = [];
  /** every request, GET and PUT, refused or not */
  const requests: Array<{ method: string; bucket: string }> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const bucket = url.pathname.slice(1);
    requests.push({ method: req.method ?? "", bucket });
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/xml");
      if (!url.searchParams.has("notification") || !configs.has(bucket)) {
        res.statusCode = 404;
        res.end(minioError("NoSuchBucket", "The specified bucket does not exist", bucket));
        return;
      }
      if (req.method === "GET") {
        res.end(configs.get(bucket));
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      const queues = [...body.matchAll(/<Queue>([^<]*)<\/Queue>/g)].map((m) => m[1]!);
      if (queues.some((q) => !arns.has(q))) {
        res.statusCode = 400;
        res.end(minioError("InvalidArgument", "A specified destination ARN does not exist or is not well-formed. Verify the destination ARN.", bucket));
        return;
      }
      if (new Set(queues).size !== queues.length) {
        res.statusCode = 400;
        const overlap = "An object key name filtering rule defined with overlapping prefixes, overlapping suffixes, or overlapping combinations of prefixes and suffixes for the same event types.";
        res.end(minioError("InvalidArgument", overlap, bucket));
        return;
      }
      configs.set(bucket, body);
      puts.push({ bucket, body });
      res.end();
    });
  });
  return { server, configs, puts, requests };
}

