#!/usr/bin/env python3
"""whverify.py — the second, independent check of webhook signatures (tests/e2e/webhooks*.t).

Recomputes the Standard Webhooks signature by hand, with nothing but the standard library:
base64-decode the part of the secret after "whsec_", HMAC-SHA256 over the RAW body bytes as
"{webhook-id}.{webhook-timestamp}.{body}", base64, and compare with every "v1,<b64>" of the
webhook-signature header in constant time.

  whverify.py [--secret S]... [--path-prefix P] LOG   every request line of the receiver's log;
                                                      prints a summary, exit 1 on any mismatch
  whverify.py sign --secret S --id ID --ts TS (--body-file F | --body B)
                                                      prints "v1,<b64>" (for curl in tests)
  whverify.py --selftest                              the spec's published vector

Secrets default to WEBHOOK_SECRET (several separated by spaces or commas); a line passes when one
of its signatures matches one secret. Exit status: 0 all good, 1 a mismatch (or no request at all
with --min), 2 usage.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import sys

VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "ts": "1614265330",
    "body": b'{"test": 2432232314}',
    "sig": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def key_of(secret):
    """The HMAC key: base64 of what follows whsec_ (a bare base64 secret is accepted too)."""
    s = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    return base64.b64decode(s, validate=True)


def sign(secret, msg_id, ts, body):
    """'v1,<base64 HMAC-SHA256 of id.ts.body>' over the raw body bytes."""
    mac = hmac.new(key_of(secret), msg_id.encode() + b"." + ts.encode() + b"." + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def matches(secrets, msg_id, ts, body, header):
    """(True, None) when one v1 signature of the header is one secret's; else (False, why)."""
    if not msg_id or not ts or not header:
        return False, "missing webhook-id, webhook-timestamp or webhook-signature"
    if "." in msg_id or not re.fullmatch(r"[0-9]+", ts):
        return False, "malformed webhook-id or webhook-timestamp"
    given = [p for p in header.split(" ") if p]
    if not all(p.startswith("v1,") for p in given):
        return False, "a signature is not v1,<base64>: %r" % header
    want = [sign(s, msg_id, ts, body) for s in secrets]
    for g in given:
        for w in want:
            if hmac.compare_digest(g.encode(), w.encode()):
                return True, None
    return False, "no v1 signature matches (%d given, %d secrets)" % (len(given), len(secrets))


def secrets_from(args):
    out = list(args)
    if not out:
        out = [s for s in re.split(r"[\s,]+", os.environ.get("WEBHOOK_SECRET", "")) if s]
    f = os.environ.get("WEBHOOK_SECRET_FILE")
    if f and os.path.exists(f):
        out += [s for s in re.split(r"[\s,]+", open(f).read()) if s]
    return out


def selftest():
    v = VECTOR
    got = sign(v["secret"], v["id"], v["ts"], v["body"])
    bad = 0
    if got != v["sig"]:
        print("selftest: signature %s, expected %s" % (got, v["sig"]))
        bad += 1
    if not matches([v["secret"]], v["id"], v["ts"], v["body"], "v1,AAAA " + v["sig"])[0]:
        print("selftest: the vector's signature is not accepted among several")
        bad += 1
    for what, args in (("body", (v["id"], v["ts"], v["body"] + b" ")),
                       ("id", (v["id"] + "x", v["ts"], v["body"])),
                       ("timestamp", (v["id"], "1614265331", v["body"]))):
        if matches([v["secret"]], *args, v["sig"])[0]:
            print("selftest: a changed %s still verifies" % what)
            bad += 1
    if matches(["whsec_" + base64.b64encode(b"x" * 32).decode()], v["id"], v["ts"], v["body"], v["sig"])[0]:
        print("selftest: another secret verifies")
        bad += 1
    print("selftest: %s (%s)" % ("ok" if bad == 0 else "FAILED", got))
    return 0 if bad == 0 else 1


def check_log(path, secrets, prefix, minimum):
    if not secrets:
        print("whverify: no secret (give --secret or set WEBHOOK_SECRET)")
        return 2
    total = good = 0
    bad = []
    with open(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("kind", "request") != "request" or not r.get("path", "").startswith(prefix):
                continue
            total += 1
            body = base64.b64decode(r.get("bodyBase64", ""))
            ok, why = matches(secrets, r.get("webhookId"), r.get("webhookTimestamp"), body,
                              r.get("webhookSignature"))
            if ok:
                good += 1
            else:
                bad.append("line %d %s id=%s: %s" % (lineno, r.get("path"), r.get("webhookId"), why))
            if ok != bool(r.get("verified")):
                print("# note: line %d: python says %s, standardwebhooks said %s (%s)"
                      % (lineno, ok, r.get("verified"), r.get("error")))
    for b in bad[:20]:
        print("mismatch: " + b)
    print("whverify: %d requests, %d signatures recomputed and matching, %d mismatching" % (total, good, len(bad)))
    return 1 if bad or total < minimum else 0


def main(argv):
    if argv[:1] == ["--selftest"]:
        return selftest()
    secrets, prefix, minimum, rest, fields = [], "", 0, [], {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--secret", "--path-prefix", "--min", "--id", "--ts", "--body-file", "--body") and i + 1 < len(argv):
            v = argv[i + 1]
            if a == "--secret":
                secrets.append(v)
            elif a == "--path-prefix":
                prefix = v
            elif a == "--min":
                minimum = int(v)
            else:
                fields[a] = v
            i += 2
        elif a.startswith("-"):
            print(__doc__)
            return 2
        else:
            rest.append(a)
            i += 1
    secrets = secrets_from(secrets)
    if rest[:1] == ["sign"]:
        if not secrets or "--id" not in fields or "--ts" not in fields:
            print(__doc__)
            return 2
        if "--body-file" in fields:
            body = open(fields["--body-file"], "rb").read()
        else:
            body = fields.get("--body", "").encode()
        print(sign(secrets[0], fields["--id"], fields["--ts"], body))
        return 0
    if len(rest) != 1:
        print(__doc__)
        return 2
    return check_log(rest[0], secrets, prefix, minimum)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
