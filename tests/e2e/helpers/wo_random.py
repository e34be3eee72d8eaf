#!/usr/bin/env python3
"""wo_random.py — the randomized work-order test of issue 21 (driven by tests/e2e/workorders_random.t).

Draws seeded random actions over a few iGUIDEs of a running server (create, add-on order, upload +
/process of the initial work order, API cancel, operator advance/reject/cancel/retry, a stage
fault, iGUIDE delete, a short wait) and checks after every step, through the API only:
  (a) no on_hold add-on whose initial work order is cancelled or rejected (after a settle window);
  (b) at most one open (non-terminal) add-on per task type per iGUIDE;
  (c) exactly one `ready` event for every work order that reached done (none for the others);
  (d) every from→to of the workorder.status_changed events is legal by the transition table
      (parsed from src/pipeline/wo_status.c) and each work order's events chain.
Prints "RESULT ok|fail (<mode>) (<inv>) <text>" per invariant and diagnostics "# …"; exit 1 on a
failure (the run goes on after one unless --stop; each stuck add-on is reported once).

  wo_random.py --url URL --app-id ID --token T --op-id ID --op-token T --tar TAR --seed N
               --steps N --mode manual|auto --table src/pipeline/wo_status.c --s3sign s3sign.py
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

TERMINAL = {"done", "cancelled", "rejected"}
TASKS = ["dwg-init", "rvt-init", "esx-init", "corelogic-fml", "siteplan", "premium-upgrade",
         "standard-upgrade"]
STAGES = ["ingest", "draft", "qa", "publish", "addon"]
HOOK = [{"event": "workorder.status_changed", "url": "http://127.0.0.1:9/x"}]
ADDRESS = {"country": "CA", "provinceState": "ON", "city": "Waterloo", "postalCode": "N2L 3G1",
           "streetName": "University Ave", "streetNumber": "200"}


def parse_table(path):
    """The legal transitions of the C table in wo_status.c: {from: {to, …}}."""
    src = open(path).read()
    body = re.search(r"table\[WO__COUNT\]\s*=\s*\{(.*?)\n\};", src, re.S).group(1)
    enum_name = {}
    table = {}
    for m in re.finditer(r"\[(WO_[A-Z_]+)\]\s*=\s*\{\s*\"([a-z_]+)\"\s*,\s*\"[a-z_]+\"\s*,(.*?)\}\s*,",
                         body, re.S):
        enum_name[m.group(1)] = m.group(2)
        table[m.group(1)] = m.group(3)
    legal = {}
    for k, nxt in table.items():
        tos = set(re.findall(r"B\((WO_[A-Z_]+)\)", nxt))
        if nxt.strip() not in ("0",) and not tos:
            raise SystemExit(f"cannot parse the row {k}: {nxt!r}")
        legal[enum_name[k]] = {enum_name[t] for t in tos}
    if len(legal) != 9:
        raise SystemExit(f"expected the nine statuses in {path}, parsed {sorted(legal)}")
    return legal


class Api:
    def __init__(self, url, app_id, token):
        self.url, self.h = url, {"X-Plntr-App-Id": app_id, "X-Plntr-App-Token": token}

    def call(self, method, path, body=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = dict(self.h)
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        req = urllib.request.Request(self.url + path if path.startswith("/") else path,
                                     data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                st, txt = r.status, r.read()
        except urllib.error.HTTPError as e:
            st, txt = e.code, e.read()
        try:
            return st, json.loads(txt) if txt else None
        except ValueError:
            return st, txt.decode(errors="replace")


class Run:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(f"{a.seed}/{a.mode}")
        self.api = Api(a.url, a.app_id, a.token)
        self.op = Api(a.url, a.op_id, a.op_token)
        self.legal = parse_table(a.table)
        self.tar = open(a.tar, "rb").read()
        self.iguides = []          # live iGUIDE ids
        self.deleted = []
        self.known = {}            # wo id -> {"iguide", "initial", "first"} (first status seen)
        self.history = []
        self.seen_events = set()
        self.ready = {}            # wo id -> count of ready events
        self.changes = {}          # wo id -> [(from, to)] oldest first
        self.pending_ready = set() # ready event seen for a wo not yet seen done
        self.failures = []         # (invariant, text, step)
        self.reported_a = set()
        self.counts = {}
        self.uploads = 0

    # ---- actions -------------------------------------------------------------------------------
    def pick_wo(self, ig):
        st, b = self.api.call("GET", f"/api/v1/iguides/{ig}/workOrders")
        return b["workOrders"] if st == 200 else []

    def act_create(self):
        t = self.rng.choices(["standard", "premium", "radix", "photos"], [4, 4, 2, 1])[0]
        st, b = self.api.call("POST", "/api/v1/iguides", {"type": t, "industry": "residential",
                                                          "address": ADDRESS, "webhooks": HOOK})
        if st != 200:
            return f"create {t}: {st} {b}"
        self.iguides.append(b["id"])
        self.known[b["workOrderId"]] = {"iguide": b["id"], "initial": True, "first": "empty"}
        return f"create {t} {b['id']} initial {b['workOrderId']}"

    def act_order(self):
        ig = self.rng.choice(self.iguides)
        task = self.rng.choice(TASKS)
        st, b = self.api.call("POST", f"/api/v1/iguides/{ig}/workOrders", {"taskType": task})
        if st == 200:
            self.known[b["id"]] = {"iguide": ig, "initial": False, "first": b["status"]}
            return f"order {task} on {ig}: {st} {b['id']} {b['status']}"
        return f"order {task} on {ig}: {st} {b.get('code') if isinstance(b, dict) else b}"

    def act_upload(self):
        ig = self.rng.choice(self.iguides)
        wos = [w for w in self.pick_wo(ig) if w.get("isInitial")]
        if not wos:
            return f"upload on {ig}: no initial work order"
        wo = wos[0]
        if wo["status"] not in ("empty", "rejected") and self.rng.random() < 0.7:
            return f"upload on {ig}: initial {wo['id']} is {wo['status']}, skipped"
        self.uploads += 1
        base = f"/api/v1/iguides/{ig}/workOrders/{wo['id']}"
        st, p = self.api.call("POST", base + "/stitchData",
                              {"filename": "property.stitch.tar", "filesize": len(self.tar)})
        if st != 200:
            return f"upload {wo['id']} ({wo['status']}): permit {st} {p.get('code') if isinstance(p, dict) else p}"
        up = p["uploadPermit"]
        url = f"{up['endpoint']}/{up['bucket']}/{up['key']}"
        env = dict(os.environ, AWS_ACCESS_KEY_ID=up["accessKeyId"],
                   AWS_SECRET_ACCESS_KEY=up["secretAccessKey"], AWS_SESSION_TOKEN=up["sessionToken"])
        hdrs = subprocess.run([sys.executable, self.a.s3sign, "--payload-file", self.a.tar, "PUT", url],
                              env=env, capture_output=True, text=True, check=True).stdout
        h = dict(line.split(": ", 1) for line in hdrs.splitlines() if ": " in line)
        h.pop("host", None), h.pop("Host", None)
        put = Api(url, "", "")
        put.h = {}
        pst, _ = put.call("PUT", url, headers=h, raw=self.tar)
        st, b = self.api.call("POST", f"{base}/stitchData/{p['id']}/process?uploadToken={p['uploadToken']}")
        return f"upload {wo['id']} ({wo['status']}): put {pst}, process {st} {b.get('status') or b.get('code') if isinstance(b, dict) else b}"

    def any_wo(self):
        """A work order of a random iGUIDE, open ones three times as likely as ended ones."""
        ig = self.rng.choice(self.iguides)
        wos = self.pick_wo(ig)
        if not wos:
            return ig, None
        return ig, self.rng.choices(wos, [1 if w["status"] in TERMINAL else 3 for w in wos])[0]

    def act_cancel(self):
        ig, wo = self.any_wo()
        if not wo:
            return f"cancel on {ig}: no work orders"
        st, b = self.api.call("POST", f"/api/v1/iguides/{ig}/workOrders/{wo['id']}/cancel", {})
        return f"api cancel {wo['id']} ({wo['status']}): {st} {b.get('status') or b.get('code') if isinstance(b, dict) else b}"

    def act_operator(self):
        ig, wo = self.any_wo()
        if not wo:
            return f"operator on {ig}: no work orders"
        # Mostly the control the status calls for, so work orders also get to done.
        fit = {"pending_qa": "advance", "exception": "retry"}.get(wo["status"])
        op = fit if fit and self.rng.random() < 0.8 else \
            self.rng.choices(["advance", "reject", "cancel", "retry"], [6, 1, 1, 4])[0]
        body = {"reason": "random test"} if op == "reject" else {}
        st, b = self.op.call("POST", f"/api/v1/operator/workOrders/{wo['id']}/{op}", body)
        return f"operator {op} {wo['id']} ({wo['status']}): {st} {b.get('status') or b.get('code') if isinstance(b, dict) else b}"

    def act_fault(self):
        stage, n = self.rng.choice(STAGES), self.rng.randint(1, 6)
        st, _ = self.api.call("POST", "/_test/faults", {"stage": stage, "times": n})
        return f"fault {stage} x{n}: {st}"

    def act_delete(self):
        # An iGUIDE whose initial work order has ended is the likelier one to go.
        w = []
        for g in self.iguides:
            init = [x for x in self.pick_wo(g) if x.get("isInitial")]
            w.append(4 if init and init[0]["status"] in TERMINAL else 1)
        ig = self.rng.choices(self.iguides, w)[0]
        st, _ = self.api.call("DELETE", f"/api/v1/iguides/{ig}")
        if st in (200, 204):
            self.iguides.remove(ig)
            self.deleted.append(ig)
        return f"delete {ig}: {st}"

    def act_wait(self):
        s = self.rng.choice([0.02, 0.05, 0.1, 0.2])
        time.sleep(s)
        return f"wait {s}s"

    def step(self):
        if len(self.iguides) < 2 or (len(self.iguides) < 4 and self.rng.random() < 0.1):
            return "create", self.act_create()
        name = self.rng.choices(
            ["order", "upload", "cancel", "operator", "fault", "delete", "wait", "create"],
            [30, 8, 4, 34, 4, 2, 12, 2 if len(self.iguides) < 4 else 0])[0]
        return name, getattr(self, "act_" + name)()

    # ---- invariants ----------------------------------------------------------------------------
    def fail(self, inv, text):
        self.failures.append((inv, text, len(self.history)))

    def events(self, typ):
        """New events of TYPE (oldest first), paging from the newest until a seen one."""
        new, cursor = [], None
        while True:
            q = f"/api/v1/webhookEvents?type={typ}&limit=100" + (f"&cursor={cursor}" if cursor else "")
            st, b = self.api.call("GET", q)
            if st != 200:
                raise SystemExit(f"GET webhookEvents: {st} {b}")
            stop = False
            for ev in b["events"]:
                if ev["id"] in self.seen_events:
                    stop = True
                    break
                new.append(ev)
            cursor = b.get("nextCursor")
            if stop or not cursor:
                return list(reversed(new))

    def listing(self):
        out = {}
        for ig in self.iguides:
            st, b = self.api.call("GET", f"/api/v1/iguides/{ig}/workOrders")
            if st == 200:
                out[ig] = b["workOrders"]
        return out

    def stuck(self, lst):
        bad = []
        for ig, wos in lst.items():
            init = [w for w in wos if w.get("isInitial")]
            if init and init[0]["status"] in ("cancelled", "rejected"):
                bad += [(w["id"], f"{w['id']} ({w['taskType']}) on_hold while initial {init[0]['id']} is "
                        f"{init[0]['status']}") for w in wos if not w.get("isInitial") and w["status"] == "on_hold"
                        and w["id"] not in self.reported_a]
        return bad

    def check(self, n):
        lst = self.listing()
        # (a), with a settle window of about 2 s.
        bad = self.stuck(lst)
        t0 = time.monotonic()
        while bad and time.monotonic() - t0 < 2.0:
            time.sleep(0.1)
            lst = self.listing()
            bad = self.stuck(lst)
        for wid, text in bad:
            self.reported_a.add(wid)  # once per work order, so the run goes on at full speed
            self.fail("a", f"step {n}: {text}")
        # (b)
        for ig, wos in lst.items():
            open_ = {}
            for w in wos:
                if not w.get("isInitial") and w["status"] not in TERMINAL:
                    open_.setdefault(w["taskType"], []).append(w["id"])
            for task, ids in open_.items():
                if len(ids) > 1:
                    self.fail("b", f"step {n}: {ig} has {len(ids)} open {task} add-ons: {ids}")
        # (c): events read after the listing, so every work order listed done has its event.
        for ev in self.events("ready"):
            self.seen_events.add(ev["id"])
            self.ready[ev["workOrderId"]] = self.ready.get(ev["workOrderId"], 0) + 1
            self.pending_ready.add(ev["workOrderId"])
        status = {w["id"]: w["status"] for wos in lst.values() for w in wos}
        for wid, st in status.items():
            if st == "done":
                self.pending_ready.discard(wid)
                if self.ready.get(wid, 0) != 1:
                    self.fail("c", f"step {n}: {wid} is done with {self.ready.get(wid, 0)} ready events")
            elif wid in self.pending_ready and st != "done" and not self.maybe_done_later(wid):
                self.fail("c", f"step {n}: {wid} has a ready event but is {st}")
                self.pending_ready.discard(wid)
        for wid, c in self.ready.items():
            if c > 1 and (wid, "c>1") not in self.seen_events:
                self.seen_events.add((wid, "c>1"))
                self.fail("c", f"step {n}: {wid} has {c} ready events")
        self.changes_since(n)

    def changes_since(self, n):
        """(d) over the status changes written since the last look."""
        for ev in self.events("workorder.status_changed"):
            self.seen_events.add(ev["id"])
            st, full = self.api.call("GET", f"/api/v1/webhookEvents/{ev['id']}")
            p = full.get("payload", {}) if st == 200 else {}
            d = p.get("data", p) if isinstance(p, dict) else {}
            f, t = d.get("from"), d.get("to")
            wid = ev["workOrderId"] or d.get("workOrderId")
            if f is None or t is None:
                self.fail("d", f"step {n}: event {ev['id']} has no from/to: {p}")
                continue
            if t not in self.legal.get(f, set()):
                self.fail("d", f"step {n}: {wid} moved {f} -> {t}, not in the transition table")
            ch = self.changes.setdefault(wid, [])
            prev = ch[-1][1] if ch else self.known.get(wid, {}).get("first")
            if prev is not None and prev != f:
                self.fail("d", f"step {n}: {wid} moved {f} -> {t} but was {prev} (events {ch})")
            ch.append((f, t))

    def maybe_done_later(self, wid):
        """A ready event may be newer than the listing: read the work order again."""
        k = self.known.get(wid)
        if not k:
            return False
        st, b = self.api.call("GET", f"/api/v1/iguides/{k['iguide']}/workOrders/{wid}")
        return st == 200 and b["status"] == "done"

    def final(self):
        """At the end: each listed work order's last status change lands on its status. A stage
        may still move one between the listing and the events, so a mismatch is looked at again
        for up to 2 s."""
        for _ in range(10):
            lst = self.listing()
            self.changes_since("end")
            bad = []
            for wos in lst.values():
                for w in wos:
                    ch = self.changes.get(w["id"])
                    last = ch[-1][1] if ch else self.known.get(w["id"], {}).get("first")
                    if last is not None and last != w["status"]:
                        bad.append(f"end: {w['id']} is {w['status']} but its last event says {last}")
            if not bad:
                return
            time.sleep(0.2)
        for text in bad:
            self.fail("d", text)

    def run(self):
        t0 = time.monotonic()
        for n in range(1, self.a.steps + 1):
            name, text = self.step()
            self.counts[name] = self.counts.get(name, 0) + 1
            self.history.append(f"{n}: {text}")
            self.check(n)
            if self.failures and self.a.stop:
                break
        time.sleep(0.5)
        self.check(len(self.history))
        self.final()
        el = time.monotonic() - t0
        print(f"# mode {self.a.mode}: {len(self.history)} steps in {el:.1f} s; actions {self.counts}; "
              f"{len(self.known)} work orders, {sum(self.ready.values())} ready events, "
              f"{sum(len(c) for c in self.changes.values())} status changes")
        finals = {}
        for wos in self.listing().values():
            for w in wos:
                finals[w["status"]] = finals.get(w["status"], 0) + 1
        print(f"# mode {self.a.mode}: statuses of live work orders at the end: {finals}")
        for inv, desc in [("a", "no on_hold add-on whose initial work order is cancelled/rejected"),
                          ("b", "at most one open add-on per task type per iGUIDE"),
                          ("c", "exactly one ready event per work order that reached done"),
                          ("d", "every status change legal by the transition table, and chained")]:
            fs = [t for i, t, _ in self.failures if i == inv]
            print(f"RESULT {'fail' if fs else 'ok'} ({self.a.mode}) ({inv}) {desc}")
            for t in fs[:5]:
                print(f"#   {t}")
        if self.failures:
            first = self.failures[0][2]
            print(f"# FAILED: seed {self.a.seed}, mode {self.a.mode}, first failure at step {first} "
                  f"(WO_RANDOM_SEED={self.a.seed} reproduces it); action history up to it:")
            hist = self.history[:first]
            for h in hist if self.a.full_history else hist[-40:]:
                print(f"#   {h}")
        return 1 if self.failures else 0


def main():
    ap = argparse.ArgumentParser()
    for k in ("url", "app-id", "token", "op-id", "op-token", "tar", "mode", "table", "s3sign"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--stop", action="store_true", help="stop at the first failing step")
    ap.add_argument("--full-history", action="store_true")
    sys.exit(Run(ap.parse_args()).run())


if __name__ == "__main__":
    main()
