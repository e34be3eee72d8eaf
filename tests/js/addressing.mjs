// addressing.mjs — how the AWS SDK for JavaScript v3, with its default settings (no
// forcePathStyle, the endpoint from AWS_ENDPOINT_URL only), addresses buckets, for
// tests/e2e/uploads_addressing.t. Nothing is sent: a middleware stops each request once its URL is
// built.
//
//   node addressing.mjs ENDPOINT BUCKET...   prints "BUCKET path|virtual|broken URL" per bucket
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

const [endpoint, ...buckets] = process.argv.slice(2);
process.env.AWS_ENDPOINT_URL = endpoint;
for (const bucket of buckets) {
  const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "B" } });
  client.middlewareStack.add(() => async (args) => {
    const r = args.request;
    throw Object.assign(new Error("stop"), { url: `${r.protocol}//${r.hostname}:${r.port ?? ""}${r.path}` });
  }, { step: "finalizeRequest", priority: "low" });
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" }));
    console.log(bucket, "sent?");
  } catch (e) {
    if (!e.url) console.log(bucket, "broken", String(e.message).split("\n")[0].replace(/ /g, "_"));
    else if (e.url.includes(`/${bucket}/k`)) console.log(bucket, "path", e.url);
    else if (e.url.includes(`//${bucket}.`)) console.log(bucket, "virtual", e.url);
    else console.log(bucket, "other", e.url);
  }
}
