// webhook_receiver.mjs — a webhook receiver for the end-to-end tests (tests/e2e/webhooks*.t).
// Listens on 127.0.0.1, verifies EVERY request with the `standardwebhooks` reference library (npm,
// tests/js/node_modules) and appends one JSON line per request to a log, before it answers, so a
// test that sees the line knows the request arrived. Each accepted TCP connection is logged too
// (kind "connection"), so a test can tell that nothing at all reached the receiver.
//
//   node webhook_receiver.mjs --log FILE --port-file FILE [--port N] [--hang-ms MS]
//
// The secrets come from WEBHOOK_SECRET (one or more whsec_…, separated by spaces or commas) and,
// when WEBHOOK_SECRET_FILE is set, from that file, read again on every request (so a test can
// rotate without a restart). A request is verified when any secret verifies it: the server sends
// two signatures during the day after a rotation and the receiver may know either secret.
//
// What a path answers (anything after the shown prefix, e.g. /ok/a, /status/500/x, is a label):
//   /ok…               204
//   /status/NNN…       NNN, with a short text body (?retryAfter=S adds Retry-After: S)
//   /slow/MS…          204 after MS milliseconds
//   /flaky/N…          500 for the first N requests to that exact path, then 204
//   /hang…             no answer; the socket is held for --hang-ms (default 30000), then closed
//   anything else      404
// /down needs nothing here: the test stops the receiver.
//
// Log line (kind "request"): path, method, webhookId, webhookTimestamp, webhookSignature,
// userAgent, contentType, bodyBase64 (the raw bytes), body (utf8), verified, error (null when
// verified), answer (the status it is about to send, null for /hang), receivedMs, time, conn.
import { createServer } from "node:http";
import { appendFileSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../js/package.json"));
const { Webhook } = require("standardwebhooks");

function args(argv) {
  const o = { port: 0, hangMs: 30000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === "--log") { o.log = v; i++; }
    else if (a === "--port-file") { o.portFile = v; i++; }
    else if (a === "--port") { o.port = Number(v); i++; }
    else if (a === "--hang-ms") { o.hangMs = Number(v); i++; }
    else { console.error(`webhook_receiver: unknown argument ${a}`); process.exit(2); }
  }
  if (!o.log || !o.portFile || !Number.isInteger(o.port) || o.port < 0 || o.port > 65535 ||
      !Number.isFinite(o.hangMs) || o.hangMs < 0) {
    console.error("usage: webhook_receiver.mjs --log FILE --port-file FILE [--port N] [--hang-ms MS]");
    process.exit(2);
  }
  return o;
}
const opt = args(process.argv.slice(2));

function secrets() {
  let text = process.env.WEBHOOK_SECRET || "";
  if (process.env.WEBHOOK_SECRET_FILE) {
    try { text += " " + readFileSync(process.env.WEBHOOK_SECRET_FILE, "utf8"); } catch { /* not yet written */ }
  }
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

// verify BODY HEADERS: [true, null] or [false, "why"], by the reference library only.
function verify(body, headers) {
  const list = secrets();
  if (list.length === 0) return [false, "no secret given (WEBHOOK_SECRET)"];
  let why = "";
  for (const s of list) {
    try {
      new Webhook(s).verify(body, headers, { jsonParse: false });
      return [true, null];
    } catch (err) {
      why = `${err.name}: ${err.message}`;
    }
  }
  return [false, why];
}

function log(obj) {
  appendFileSync(opt.log, JSON.stringify(obj) + "\n");
}

const flaky = new Map();   // exact path -> requests seen
let connections = 0;

function answerFor(path, query) {
  let m;
  if (/^\/ok(\/|$)/.test(path)) return { status: 204 };
  if ((m = /^\/status\/([0-9]{3})(\/|$)/.exec(path))) {
    const status = Number(m[1]);
    const headers = {};
    if (query.has("retryAfter")) headers["Retry-After"] = query.get("retryAfter");
    return { status, headers, body: `receiver: status ${status} for ${path}\n` };
  }
  if ((m = /^\/slow\/([0-9]{1,6})(\/|$)/.exec(path))) return { status: 204, delay: Number(m[1]) };
  if ((m = /^\/flaky\/([0-9]{1,4})(\/|$)/.exec(path))) {
    const seen = (flaky.get(path) || 0) + 1;
    flaky.set(path, seen);
    return seen <= Number(m[1]) ? { status: 500, body: `receiver: flaky failure ${seen}\n` } : { status: 204 };
  }
  if (/^\/hang(\/|$)/.test(path)) return { hang: true };
  return { status: 404, body: "receiver: no such path\n" };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url, "http://receiver");
    const [verified, error] = verify(raw, req.headers);
    const a = answerFor(url.pathname, url.searchParams);
    const now = Date.now();
    log({
      kind: "request",
      path: url.pathname,
      query: url.search,
      method: req.method,
      webhookId: req.headers["webhook-id"] ?? null,
      webhookTimestamp: req.headers["webhook-timestamp"] ?? null,
      webhookSignature: req.headers["webhook-signature"] ?? null,
      userAgent: req.headers["user-agent"] ?? null,
      contentType: req.headers["content-type"] ?? null,
      bodyBase64: raw.toString("base64"),
      body: raw.toString("utf8"),
      verified,
      error,
      answer: a.hang ? null : a.status,
      receivedMs: now,
      time: new Date(now).toISOString(),
      conn: req.socket.gpConn,
    });
    if (a.hang) {
      // Hold the connection open without a byte of answer; the server's timeout must fire.
      const t = setTimeout(() => req.socket.destroy(), opt.hangMs);
      req.socket.on("close", () => clearTimeout(t));
      return;
    }
    const send = () => {
      const body = a.body || "";
      res.writeHead(a.status, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(body), ...(a.headers || {}) });
      res.end(body);
    };
    if (a.delay) setTimeout(send, a.delay); else send();
  });
});

server.on("connection", (sock) => {
  sock.gpConn = ++connections;
  const now = Date.now();
  log({ kind: "connection", conn: sock.gpConn, remote: `${sock.remoteAddress}:${sock.remotePort}`, receivedMs: now, time: new Date(now).toISOString() });
});
server.keepAliveTimeout = 5000;
server.headersTimeout = 10000;
server.requestTimeout = 0;   // /hang and /slow decide how long a request lasts

server.listen(opt.port, "127.0.0.1", () => {
  const port = server.address().port;
  // Written whole, then renamed: a test polling the file never reads half a number.
  writeFileSync(opt.portFile + ".tmp", `${port}\n`);
  renameSync(opt.portFile + ".tmp", opt.portFile);
});
server.on("error", (err) => { console.error(`webhook_receiver: ${err.message}`); process.exit(1); });

const stop = () => { server.close(); server.closeAllConnections?.(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
