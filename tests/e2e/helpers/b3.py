#!/usr/bin/env python3
"""b3.py — boto3 against the Guidepost S3 endpoint, for the e2e tests.

  b3.py ENDPOINT upload_file FILE BUCKET KEY        s3transfer (multipart from 8 MiB)
  b3.py ENDPOINT put_object FILE BUCKET KEY [CRC32] one PutObject, prints "etag <ETag>"; CRC32
                                                   (base64) is sent as ChecksumCRC32 instead of
                                                   the computed one
  b3.py ENDPOINT presign_put BUCKET KEY [SECONDS]  prints a SigV4 presigned PUT URL

Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, the CA from
AWS_CA_BUNDLE. ENDPOINT "-" leaves the endpoint to AWS_ENDPOINT_URL. Addressing is botocore's
default (path style with an endpoint URL); only retries are off, so that refusals are seen, and
presigned URLs are SigV4 (botocore's presigner default is SigV2). On an S3 error it prints "error <Code>" and exits 1; otherwise "ok" (or the URL).
"""
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main(argv):
    endpoint, op, args = argv[1], argv[2], argv[3:]
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"})
    if op == "presign_put":
        cfg = cfg.merge(Config(signature_version="s3v4"))
    kw = {} if endpoint == "-" else {"endpoint_url": endpoint}
    s3 = boto3.client("s3", region_name="us-east-1", config=cfg, **kw)
    try:
        if op == "upload_file":
            path, bucket, key = args
            s3.upload_file(path, bucket, key, ExtraArgs={"ACL": "bucket-owner-full-control"})
        elif op == "put_object":
            path, bucket, key = args[:3]
            extra = {"ChecksumCRC32": args[3]} if len(args) > 3 else {}
            with open(path, "rb") as f:
                r = s3.put_object(Bucket=bucket, Key=key, Body=f, ACL="bucket-owner-full-control",
                                  **extra)
            print("etag", r["ETag"])
            return 0
        elif op == "presign_put":
            bucket, key = args[:2]
            expires = int(args[2]) if len(args) > 2 else 900
            print(s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": key},
                                            ExpiresIn=expires))
            return 0
        else:
            print("unknown op", op, file=sys.stderr)
            return 2
    except ClientError as e:
        print("error", e.response.get("Error", {}).get("Code", "?"))
        return 1
    except Exception as e:  # s3transfer wraps ClientError in S3UploadFailedError
        msg = str(e)
        code = msg.split("An error occurred (", 1)[1].split(")", 1)[0] if "An error occurred (" in msg else type(e).__name__
        print("error", code)
        print(msg, file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
