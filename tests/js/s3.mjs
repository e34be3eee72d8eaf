// s3.mjs — the AWS SDK for JavaScript v3 against the Guidepost S3 endpoint, for
// tests/e2e/uploads_js.t and uploads_addressing.t. The integrator's unmodified client: the SDK's
// default addressing (no forcePathStyle) and the endpoint from AWS_ENDPOINT_URL only, credentials
// from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, the CA from
// NODE_EXTRA_CA_CERTS. ENDPOINT is put in AWS_ENDPOINT_URL; "-" leaves the environment's.
//
//   node s3.mjs ENDPOINT put_buffer FILE BUCKET KEY [ALG]   PutObject with the file as a Buffer;
//                                                          ALG (CRC32, CRC32C, CRC64NVME, SHA1,
//                                                          SHA256) picks the SDK's checksum
//   node s3.mjs ENDPOINT put_stream FILE BUCKET KEY         PutObject with a read stream
//   node s3.mjs ENDPOINT put_wrong FILE BUCKET KEY ALG      PutObject sending a wrong ALG value
//   node s3.mjs ENDPOINT upload FILE BUCKET KEY [PARTMIB]   lib-storage Upload (multipart above
//                                                          one part; 4 parts in flight)
//
// Prints "etag <ETag>" (and "checksum <ALG> <value>" when the server echoed one, then "url <URL>"
// with the scheme, host, port and path of the first request the SDK sent) and exits 0, or
// "error <S3 code>" and exits 1. Retries are off so a refusal is seen as it was answered.
import fs from "node:fs";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

const [endpoint, op, file, Bucket, Key, extra] = process.argv.slice(2);
if (!endpoint || !op || !file || !Bucket || !Key) {
  console.error("usage: node s3.mjs ENDPOINT OP FILE BUCKET KEY [ARG]");
  process.exit(2);
}
if (endpoint !== "-") process.env.AWS_ENDPOINT_URL = endpoint;
const client = new S3Client({
  region: "us-east-1",
  maxAttempts: 1,
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
    sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
  },
});

// The addressing the SDK chose: the URL of its first request, without the query.
let firstUrl = "";
client.middlewareStack.add((next) => async (args) => {
  const r = args.request;
  if (!firstUrl) firstUrl = `${r.protocol}//${r.hostname}${r.port ? ":" + r.port : ""}${r.path}`;
  return next(args);
}, { step: "finalizeRequest", priority: "low" });

// A value of the right length for each algorithm that is not the file's checksum.
const WRONG = {
  CRC32: "AAAAAA==",
  CRC32C: "AAAAAA==",
  CRC64NVME: "AAAAAAAAAAA=",
  SHA1: Buffer.alloc(20).toString("base64"),
  SHA256: Buffer.alloc(32).toString("base64"),
};
const FIELD = { CRC32: "ChecksumCRC32", CRC32C: "ChecksumCRC32C", CRC64NVME: "ChecksumCRC64NVME",
                SHA1: "ChecksumSHA1", SHA256: "ChecksumSHA256" };

function report(r) {
  console.log("etag", r.ETag);
  for (const [alg, field] of Object.entries(FIELD))
    if (r[field]) console.log("checksum", alg, r[field]);
  console.log("url", firstUrl);
}

try {
  const base = { Bucket, Key, ACL: "bucket-owner-full-control" };
  if (op === "put_buffer") {
    const params = { ...base, Body: fs.readFileSync(file) };
    if (extra) params.ChecksumAlgorithm = extra;
    report(await client.send(new PutObjectCommand(params)));
  } else if (op === "put_stream") {
    const size = fs.statSync(file).size;
    report(await client.send(new PutObjectCommand({ ...base, Body: fs.createReadStream(file), ContentLength: size })));
  } else if (op === "put_wrong") {
    if (!FIELD[extra]) throw new Error(`unknown algorithm ${extra}`);
    report(await client.send(new PutObjectCommand({ ...base, Body: fs.readFileSync(file), [FIELD[extra]]: WRONG[extra] })));
  } else if (op === "upload") {
    const partSize = (Number(extra) || 5) * 1024 * 1024;
    const up = new Upload({ client, queueSize: 4, partSize, leavePartsOnError: false,
                            params: { ...base, Body: fs.createReadStream(file) } });
    report(await up.done());
  } else {
    console.error("unknown op", op);
    process.exit(2);
  }
} catch (e) {
  console.log("error", e.Code || e.name);
  console.error(e.message, e.$metadata?.httpStatusCode ?? "");
  process.exit(1);
}
