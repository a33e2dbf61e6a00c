import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/**
 * Uploads every `examples/{bot}.gbai/` folder to a bucket of the same name, the first time only (a bucket
 * that exists is left alone). The uploads go through the drive, so the demo bot arrives the way a real one
 * does: notification → webhook → job.
 */
export async function seedExamples(
  examplesDir: string,
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string },
): Promise<string[]> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const seeded: string[] = [];
  try {
    for (const entry of await readdir(examplesDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.endsWith(".gbai")) continue;
      const bucket = entry.name;
      if (await bucketExists(client, bucket)) continue;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      const root = join(examplesDir, bucket);
      for (const file of await listFiles(root)) {
        const key = relative(root, file).split(sep).join("/");
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(file) }));
      }
      seeded.push(bucket);
    }
  } finally {
    client.destroy();
  }
  return seeded;
}

async function bucketExists(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}
