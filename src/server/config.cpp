#include "server/config.h"

#include <cstdlib>
#include <set>

namespace cl::server {

namespace {

bool parse_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end && *end == '\0';
}

const std::set<std::string> kCommands = {"serve", "create-user", "reset-password", "seed-demo",
                                         "import-csv", "backup", "check", "help"};
// Flags that take no value; every other --flag takes one (--flag value or --flag=value).
const std::set<std::string> kBoolFlags = {"no-demo", "fast-hash", "dry-run", "help", "apply"};

}  // namespace

std::string usage_text() {
  return R"(closeloop-server — the Closeloop sales server

usage: closeloop-server [command] [options]

commands:
  serve (default)     run the HTTP server; an empty data folder gets demo data (--no-demo skips)
  create-user         --username U --password P --role rep|manager|admin [--team TEAM_ID] [--display-name N]
  reset-password      --username U --password P        (also ends the user's sessions)
  seed-demo           [--scale demo|large|users]       (empty database only; serve takes --scale too)
  import-csv          --file F.csv [--type leads|customers] [--team ID-or-name] [--owner USERNAME] [--apply]
                      (dry run without --apply; customers need --owner for rows without an owner)
  backup              --to FILE                        (SQLite online backup; safe while serving)
  check               integrity_check + foreign_key_check; exit 1 on problems

options (flags win over environment variables):
  --port N            HTTP port (env CLOSELOOP_PORT, default 8080)
  --host H            bind address (default 127.0.0.1)
  --data DIR          data folder (env CLOSELOOP_DATA, default ./data)
  --web DIR           static files to serve, e.g. build/wasm/dist (env CLOSELOOP_WEB)
  --threads N         HTTP worker threads (default 256; one per open keep-alive connection)
  --db-readers N      read-only SQLite connections for reads beside the writer (default 16; 0 = none)
  --push-pipeline-min N  a sync push of N or more mutations runs its rules on a helper thread beside
                      its SQLite writes (default 64; 0 = never)
  --fast-hash         minimum argon2id cost (tests only)
  --scale S           demo data for an empty database: demo (default), large, users (people only)
  --session-ttl-seconds N, --login-limit-account N, --login-limit-address N,
  --login-window-seconds N, --max-body-bytes N, --max-json-bytes N, --evidence-max-bytes N
)";
}

bool parse_config(int argc, char** argv, Config& c, std::string& error) {
  if (const char* v = std::getenv("CLOSELOOP_PORT")) {
    long long n;
    if (!parse_int(v, n) || n < 0 || n > 65535) {
      error = "CLOSELOOP_PORT must be a port number, got '" + std::string(v) + "'";
      return false;
    }
    c.port = static_cast<int>(n);
  }
  if (const char* v = std::getenv("CLOSELOOP_DATA"); v && *v) c.data_dir = v;
  if (const char* v = std::getenv("CLOSELOOP_WEB"); v && *v) c.web_dir = v;
  if (const char* v = std::getenv("CLOSELOOP_HOST"); v && *v) c.host = v;

  int i = 1;
  if (i < argc && argv[i][0] != '-') {
    std::string cmd = argv[i];
    if (!kCommands.count(cmd)) {
      error = "unknown command '" + cmd + "' (try: serve, create-user, reset-password, seed-demo, import-csv, backup, check)";
      return false;
    }
    c.command = cmd;
    ++i;
  }
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      c.positional.push_back(arg);
      continue;
    }
    std::string key = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
      has_value = true;
    }
    if (kBoolFlags.count(key)) {
      c.options[key] = has_value ? value : "1";
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        error = "--" + key + " needs a value";
        return false;
      }
      value = argv[++i];
    }
    c.options[key] = value;
  }

  auto int_opt = [&](const char* key, long long lo, long long hi, auto&& set) {
    if (!c.has_option(key)) return true;
    long long n;
    if (!parse_int(c.option(key), n) || n < lo || n > hi) {
      error = std::string("--") + key + " must be a number between " + std::to_string(lo) + " and " + std::to_string(hi);
      return false;
    }
    set(n);
    return true;
  };
  if (!int_opt("port", 0, 65535, [&](long long n) { c.port = static_cast<int>(n); })) return false;
  if (!int_opt("threads", 1, 2048, [&](long long n) { c.threads = static_cast<int>(n); })) return false;
  if (!int_opt("db-readers", 0, 64, [&](long long n) { c.db_readers = static_cast<int>(n); })) return false;
  if (!int_opt("push-pipeline-min", 0, 1000000, [&](long long n) { c.push_pipeline_min = static_cast<std::size_t>(n); })) return false;
  if (!int_opt("session-ttl-seconds", 1, 365LL * 86400, [&](long long n) { c.session_ttl_ms = n * 1000; })) return false;
  if (!int_opt("login-limit-account", 1, 1000000, [&](long long n) { c.login_max_failures_account = static_cast<int>(n); })) return false;
  if (!int_opt("login-limit-address", 1, 1000000, [&](long long n) { c.login_max_failures_address = static_cast<int>(n); })) return false;
  if (!int_opt("login-window-seconds", 1, 86400, [&](long long n) { c.login_window_ms = n * 1000; })) return false;
  if (!int_opt("max-body-bytes", 1024, 1LL << 32, [&](long long n) { c.max_body_bytes = static_cast<std::size_t>(n); })) return false;
  if (!int_opt("max-json-bytes", 1024, 1LL << 32, [&](long long n) { c.max_json_bytes = static_cast<std::size_t>(n); })) return false;
  if (!int_opt("evidence-max-bytes", 1, 1LL << 32, [&](long long n) { c.evidence_max_bytes = static_cast<std::size_t>(n); })) return false;
  if (c.has_option("data")) c.data_dir = c.option("data");
  if (c.has_option("web")) c.web_dir = c.option("web");
  if (c.has_option("host")) c.host = c.option("host");
  if (c.has_option("no-demo")) c.seed_demo = false;
  if (c.has_option("scale")) {
    c.demo_scale = c.option("scale");
    if (c.demo_scale != "demo" && c.demo_scale != "large" && c.demo_scale != "users") {
      error = "--scale must be demo, large or users (people and teams only)";
      return false;
    }
  }
  if (c.has_option("fast-hash") || (std::getenv("CLOSELOOP_FAST_HASH") && std::string(std::getenv("CLOSELOOP_FAST_HASH")) == "1")) {
    c.pwhash_opslimit = 1;          // crypto_pwhash_OPSLIMIT_MIN
    c.pwhash_memlimit = 8192;       // crypto_pwhash_MEMLIMIT_MIN
  }
  if (c.has_option("help")) c.command = "help";
  return true;
}

}  // namespace cl::server
