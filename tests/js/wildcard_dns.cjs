// wildcard_dns.cjs — preloaded (node --require) by tests/e2e/uploads_addressing.t to stand in for
// wildcard DNS: every name under WILDCARD_DNS (e.g. "localhost") resolves to 127.0.0.1, as
// "*.s3.example.com IN A ..." would in a deployment that uses virtual-hosted-style addressing.
const dns = require("node:dns");
const suffix = "." + (process.env.WILDCARD_DNS || "localhost");
const lookup = dns.lookup;
dns.lookup = function (host, options, cb) {
  if (typeof options === "function") { cb = options; options = {}; }
  if (typeof host === "string" && host.endsWith(suffix)) {
    const all = typeof options === "object" && options && options.all;
    return process.nextTick(() => all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4));
  }
  return lookup.call(dns, host, options, cb);
};
