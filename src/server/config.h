// Server configuration: flags win over environment variables (CLOSELOOP_PORT, CLOSELOOP_DATA,
// CLOSELOOP_WEB), which win over the defaults below. Parsed once in main; read-only afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/model.h"

namespace cl::server {

struct Config {
  std::string command = "serve";          // serve | create-user | reset-password | seed-demo | import-csv | backup | check
  std::string host = "127.0.0.1";         // loopback by default: exposing it is a deliberate choice
  int port = 8080;
  std::string data_dir = "./data";        // holds closeloop.db (+ WAL) and whatever modules store
  std::string web_dir;                    // static files (the wasm dist/); empty = API only
  bool seed_demo = true;                  // serve on an empty database seeds demo data (--no-demo)
  std::string demo_scale = "demo";        // demo | large
  // HTTP worker threads. cpp-httplib keeps a thread per open keep-alive connection (until the client
  // closes it or it idles 5 s), and every browser tab holds a few; a connection beyond the pool waits
  // in the queue until one closes. 256 holds the issue-4 load (200 tablets connected at once) with room
  // to spare; an idle thread costs its stack's touched pages (tens of KiB), not the 8 MiB reserved.
  int threads = 256;
  // Read-only SQLite connections for pulls, token checks and other reads (WAL readers run beside the
  // one writer). More than the cores so a reader preempted mid-query does not stall the others; each
  // costs a file handle and a small page cache (reads come through the shared mmap).
  int db_readers = 16;

  // Request limits. The global limit must admit an evidence upload (R10: 20 MB default);
  // JSON endpoints apply the smaller json limit themselves (parse_json_body).
  std::size_t max_body_bytes = 24u << 20;
  std::size_t max_json_bytes = 8u << 20;
  std::size_t evidence_max_bytes = 20u << 20;

  // A sync push of at least this many mutations runs its rules on a helper thread while this one
  // writes (push_lane.h): about half of a large push's time is SQLite. Smaller pushes, most of a
  // tablet's, are not worth a thread. 0 = never (--push-pipeline-min).
  std::size_t push_pipeline_min = 64;

  // R33: sessions and login throttling.
  Instant session_ttl_ms = 30 * kDay;
  int login_max_failures_account = 5;     // per username within the window → 429
  int login_max_failures_address = 30;    // per client address within the window → 429
  Instant login_window_ms = 15 * kMinute;

  // argon2id cost (crypto_pwhash_str). Defaults = libsodium's INTERACTIVE limits; `--fast-hash`
  // (tests, CI) drops to the minimum so creating dozens of users stays quick.
  unsigned long long pwhash_opslimit = 2;
  std::size_t pwhash_memlimit = 64u << 20;

  // Leftover options for subcommands and modules (e.g. "username", "password", "to", "file").
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;

  std::string db_path() const { return data_dir + "/closeloop.db"; }
  std::string option(const std::string& key, const std::string& fallback = "") const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
  }
  bool has_option(const std::string& key) const { return options.count(key) != 0; }
};

// Parses argv (argv[1] may be a subcommand) and the environment. On a bad flag returns false and
// fills `error` with a message that says what to type instead.
bool parse_config(int argc, char** argv, Config& out, std::string& error);
std::string usage_text();

}  // namespace cl::server
