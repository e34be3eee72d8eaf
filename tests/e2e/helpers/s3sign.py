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
    --signed-chunks IN OUT           send IN as aws-chunked with signed chunks
                                     (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): writes the framed body
                                     to OUT and signs the aws-chunked headers
    --chunk-size N                   bytes per signed chunk (default 65536)
    --trailer-crc32                  ... with the CRC32 in a signed trailer
                                     (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)
    --tamper-chunk N                 flip one data byte of chunk N after signing (0-based)
"""
import argparse
import datetime
import hashlib
import hmac
import os
import sys
import urllib.parse
import base64
import zlib

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
    ap.add_argument("--signed-chunks", nargs=2, metavar=("IN", "OUT"))
    ap.add_argument("--chunk-size", type=int, default=65536)
    ap.add_argument("--trailer-crc32", action="store_true")
    ap.add_argument("--tamper-chunk", type=int, default=-1)
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
    data = None
    if a.signed_chunks:
        with open(a.signed_chunks[0], "rb") as f:
            data = f.read()
        payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" + ("-TRAILER" if a.trailer_crc32 else "")
        a.headers += ["Content-Encoding: aws-chunked", f"x-amz-decoded-content-length: {len(data)}"]
        if a.trailer_crc32:
            a.headers.append("x-amz-trailer: x-amz-checksum-crc32")
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
    if data is not None:
        write_signed_chunks(a, data, key, amz_date, scope, sig)
    out = [("X-Amz-Date", amz_date), ("X-Amz-Content-SHA256", payload)]
    if not a.no_token:
        out.append(("X-Amz-Security-Token", a.token))
    out += extra
    out.append(("Authorization", f"AWS4-HMAC-SHA256 Credential={a.akid}/{scope}, "
                                 f"SignedHeaders={';'.join(names)}, Signature={sig}"))
    for n, v in out:
        print(f"{n}: {v}")


def write_signed_chunks(a, data, key, amz_date, scope, seed):
    """The aws-chunked body: each chunk signed over the previous signature (the seed is the
    request's), then the empty final chunk, then (with a trailer) the trailer and its signature."""
    def chunk_sig(prev, chunk):
        sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, EMPTY,
                         hashlib.sha256(chunk).hexdigest()])
        return hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    out, prev = [], seed
    chunks = [data[i:i + a.chunk_size] for i in range(0, len(data), a.chunk_size)] + [b""]
    for n, chunk in enumerate(chunks):
        prev = chunk_sig(prev, chunk)
        if n == a.tamper_chunk and chunk:
            chunk = bytes([chunk[0] ^ 1]) + chunk[1:]
        out.append(b"%x;chunk-signature=%s\r\n" % (len(chunk), prev.encode()) + chunk + b"\r\n")
    if a.trailer_crc32:
        out[-1] = out[-1][:-2]   # the trailer follows the final chunk's line directly
        trailer = "x-amz-checksum-crc32:" + base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
        sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, prev,
                         hashlib.sha256((trailer + "\n").encode()).hexdigest()])
        tsig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        out.append(f"{trailer}\r\nx-amz-trailer-signature:{tsig}\r\n\r\n".encode())
    with open(a.signed_chunks[1], "wb") as f:
        f.write(b"".join(out))


if __name__ == "__main__":
    sys.exit(main())
