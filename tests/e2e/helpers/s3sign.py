#!/usr/bin/env python3
"""s3sign.py — prints the headers of a SigV4-signed S3 request, one "Name: value" per line, for
curl -H. Standard library only, so it starts fast and signs exactly what it is told to (the e2e
tests use it to send requests no SDK would: a wrong secret, no session token, a chosen payload
mode).

  s3sign.py [options] METHOD URL
    --akid ID --secret S --token T   credentials (default: $AWS_ACCESS_KEY_ID,
                                     $AWS_SECRET_ACCESS_KEY, $AWS_SESSION_TOKEN)
    --no-token                       send no X-Amz-Security-Token
    --region R                       (default us-east-1)
    --payload HASH                   x-amz-content-sha256 (default: the SHA-256 of the empty body)
    --payload-file F                 the SHA-256 of file F
    -H 'name: value'                 an extra header, signed
"""
import argparse
import datetime
import hashlib
import hmac
import os
import sys
import urllib.parse

EMPTY = hashlib.sha256(b"").hexdigest()


def enc(s):
    return urllib.parse.quote(s, safe="-_.~")


def canonical_query(q):
    pairs = []
    for part in q.split("&") if q else []:
        k, _, v = part.partition("=")
        pairs.append((enc(urllib.parse.unquote(k)), enc(urllib.parse.unquote(v))))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def hm(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--akid", default=os.environ.get("AWS_ACCESS_KEY_ID", ""))
    ap.add_argument("--secret", default=os.environ.get("AWS_SECRET_ACCESS_KEY", ""))
    ap.add_argument("--token", default=os.environ.get("AWS_SESSION_TOKEN", ""))
    ap.add_argument("--no-token", action="store_true")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--payload", default=None)
    ap.add_argument("--payload-file", default=None)
    ap.add_argument("-H", dest="headers", action="append", default=[])
    ap.add_argument("method")
    ap.add_argument("url")
    a = ap.parse_args()

    u = urllib.parse.urlsplit(a.url)
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    scope = f"{day}/{a.region}/s3/aws4_request"
    if a.payload_file:
        h = hashlib.sha256()
        with open(a.payload_file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        payload = h.hexdigest()
    else:
        payload = a.payload or EMPTY

    headers = {"host": u.netloc}
    extra = []
    for line in a.headers:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
        extra.append((name.strip(), value.strip()))
    query = u.query
    headers["x-amz-date"] = amz_date
    headers["x-amz-content-sha256"] = payload
    if not a.no_token:
        headers["x-amz-security-token"] = a.token
    names = sorted(headers)
    creq = "\n".join([a.method, u.path or "/", canonical_query(query),
                      "".join(f"{n}:{' '.join(headers[n].split())}\n" for n in names),
                      ";".join(names), payload])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = hm(hm(hm(hm(("AWS4" + a.secret).encode(), day), a.region), "s3"), "aws4_request")
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    out = [("X-Amz-Date", amz_date), ("X-Amz-Content-SHA256", payload)]
    if not a.no_token:
        out.append(("X-Amz-Security-Token", a.token))
    out += extra
    out.append(("Authorization", f"AWS4-HMAC-SHA256 Credential={a.akid}/{scope}, "
                                 f"SignedHeaders={';'.join(names)}, Signature={sig}"))
    for n, v in out:
        print(f"{n}: {v}")


if __name__ == "__main__":
    sys.exit(main())
