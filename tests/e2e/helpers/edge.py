#!/usr/bin/env python3
"""edge.py — raw-socket attacks on the HTTP edge, for attack.t. Each check prints one line
"PASS <description>" or "FAIL <description>: <detail>"; attack.t turns them into TAP.
    edge.py smuggle URL TOKEN_ID TOKEN     Content-Length with chunked bodies, on three routes
    edge.py chunked URL TOKEN_ID TOKEN     chunked bodies larger than any Content-Length
    edge.py flood URL HEADER_TIMEOUT       idle and slowloris floods from other loopback addresses
    edge.py slowbody URL HEADER_TIMEOUT    a body trickled below the minimum pace
    edge.py cap URL CAP                    connections past --max-connections get a 503
Every attack comes from 127.0.0.2 or 127.0.0.3; the normal client is 127.0.0.1, so the per-address
cap separates them as it would separate two hosts."""
import json
import socket
import subprocess
import sys
import time


def say(ok, what, detail=""):
    print(("PASS " if ok else "FAIL ") + what + ("" if ok else ": " + detail), flush=True)


def hostport(url):
    hp = url.split("//", 1)[1].rstrip("/")
    h, p = hp.rsplit(":", 1)
    return h, int(p)


def conn(url, src="127.0.0.2", timeout=5):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(timeout)
    s.connect(hostport(url))
    return s


def read_all(s, limit=1 << 20):
    out = b""
    try:
        while len(out) < limit:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except (socket.timeout, ConnectionResetError):
        pass
    return out


def status_of(resp):
    try:
        return int(resp.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def body_of(resp):
    return resp.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in resp else b""


def normal_get(url, path="/healthz"):
    """A plain client on 127.0.0.1: (status, seconds)."""
    t = time.time()
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5",
                        url + path], capture_output=True, text=True)
    return r.stdout.strip(), time.time() - t


def alive(url):
    st, secs = normal_get(url)
    return st == "200", secs


def smuggle(url, app_id, token):
    big = b"x" * 250000
    chunked = b"%x\r\n" % len(big) + big + b"\r\n0\r\n\r\n"
    auth = ("X-Plntr-App-Id: %s\r\nX-Plntr-App-Token: %s\r\n" % (app_id, token)).encode()
    for method, path, extra in (("GET", "/healthz", b""), ("POST", "/signin", b""),
                                ("POST", "/api/v1/iguides", auth)):
        s = conn(url)
        try:
            s.sendall(b"%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                      b"Transfer-Encoding: chunked\r\n" % (method.encode(), path.encode())
                      + extra + b"\r\n" + chunked)
        except (BrokenPipeError, ConnectionResetError):
            pass   # refused before the body: the answer is still there to read
        resp = read_all(s)
        s.close()
        ok = status_of(resp) == 400 and b"x-request-id:" in resp.lower()
        try:
            ok = ok and json.loads(body_of(resp))["code"] == "invalid_argument"
        except ValueError:
            ok = False
        say(ok, "Content-Length with a chunked body on %s %s: 400 in the JSON shape" % (method, path),
            repr(resp[:200]))
    up, _ = alive(url)
    say(up, "the server is alive after the smuggling attempts")


def chunked(url, app_id, token):
    """Chunked bodies with no Content-Length: read in full when within the limit, 413 past it."""
    body = json.dumps({"type": "standard", "industry": "residential", "address": {
        "country": "CA", "provinceState": "ON", "city": "Waterloo", "postalCode": "N2L 3G1",
        "streetName": "University Ave", "streetNumber": "200"}}).encode()
    padded = body[:-1] + b" " * 200000 + b"}"   # 200 KB: under the 256 KiB JSON limit
    auth = ("X-Plntr-App-Id: %s\r\nX-Plntr-App-Token: %s\r\n" % (app_id, token)).encode()
    for data, want, what in ((padded, 200, "a 200 KB chunked JSON body in 1 000-byte chunks is read whole"),
                             (b" " * 300000, 413, "a 300 KB chunked body is refused 413")):
        s = conn(url)
        s.sendall(b"POST /api/v1/iguides HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n" + auth + b"\r\n")
        try:
            for i in range(0, len(data), 1000):
                piece = data[i:i + 1000]
                s.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        resp = read_all(s)
        s.close()
        say(status_of(resp) == want, what, repr(resp[:200]))


def flood(url, header_timeout):
    idle, slow = [], []
    for _ in range(1500):
        try:
            idle.append(conn(url, "127.0.0.2"))
        except OSError:
            break
    for _ in range(500):
        try:
            s = conn(url, "127.0.0.3")
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
            slow.append(s)
        except OSError:
            break
    say(len(idle) > 300 and len(slow) > 300, "the flood is on: %d idle, %d slowloris sockets"
        % (len(idle), len(slow)), "the attacker could not even connect")
    worst = 0.0
    okays = 0
    t_end = time.time() + header_timeout + 2
    while time.time() < t_end:
        st, secs = normal_get(url)
        okays += st == "200"
        worst = max(worst, secs)
        for s in slow:
            try:
                s.send(b"X")   # one header byte a second: never idle, never done
            except OSError:
                pass
        time.sleep(0.5)
    say(okays >= 3 and worst < 1.0,
        "under the flood a normal client is answered within 1 s (worst %.3f s)" % worst,
        "%d answers, worst %.3f s" % (okays, worst))
    time.sleep(1.5)
    still = 0
    for s in slow:
        s.setblocking(False)
        try:
            if s.recv(1) != b"":
                still += 1
        except BlockingIOError:
            still += 1
        except OSError:
            pass
    say(still == 0, "slowloris connections are closed at the header deadline",
        "%d still open" % still)
    for s in idle + slow:
        s.close()
    up, secs = alive(url)
    say(up, "the server is alive after the flood")


def slowbody(url, header_timeout):
    s = conn(url)
    s.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
              b"\r\nContent-Length: 5000\r\n\r\n")
    t = time.time()
    closed = False
    while time.time() - t < 3 * header_timeout + 3:
        try:
            s.send(b"a")
        except OSError:
            closed = True
            break
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed = True
                break
        except BlockingIOError:
            pass
        except OSError:
            closed = True
            break
        s.setblocking(True)
        time.sleep(0.5)
    took = time.time() - t
    say(closed and took <= 2 * header_timeout + 2,
        "a body trickled at 2 bytes/s is cut off (after %.1f s)" % took, "still open")


def cap(url, n):
    held = [conn(url, "127.0.0.2") for _ in range(n)]
    s = conn(url, "127.0.0.3")
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    resp = read_all(s)
    s.close()
    try:
        j = json.loads(body_of(resp))
    except ValueError:
        j = {}
    say(status_of(resp) == 503 and j.get("code") == "unavailable" and b"retry-after:" in resp.lower()
        and b"x-request-id:" in resp.lower(),
        "past --max-connections: 503 with Retry-After, in the JSON shape", repr(resp[:300]))
    for h in held:
        h.close()
    time.sleep(0.5)
    up, _ = alive(url)
    say(up, "once connections close, the server answers again")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "smuggle":
        smuggle(*args)
    elif cmd == "chunked":
        chunked(*args)
    elif cmd == "flood":
        flood(args[0], int(args[1]))
    elif cmd == "slowbody":
        slowbody(args[0], int(args[1]))
    elif cmd == "cap":
        cap(args[0], int(args[1]))
    else:
        sys.exit("usage: edge.py smuggle|chunked|flood|slowbody|cap URL ...")
