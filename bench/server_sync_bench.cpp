// Load client for sync against the real closeloop-server on loopback (issue 4 benchmark):
//   1. push throughput in batches of 500 mutations (target ≥ 50k mutations/s on SQLite);
//   2. pull latency with 200 concurrent connections (target p99 ≤ 20 ms), closed loop and paced.
// Bounded request counts, loopback only; prints medians and percentiles, and the server's CPU time next to
// the wall clock (on a shared 2-core machine the wall clock also measures everybody else's work).
//   bench_server_sync_bench [server] [push batches=20] [connections=200] [closed-loop pulls each=10]
//                           [pace ms=100] [paced pulls each=20]
// The server binary is found next to this build (../src/server/closeloop-server) or given as argv[1];
// it runs with its default worker threads unless BENCH_SERVER_THREADS is set. BENCH_ATTACH_PORT (and
// BENCH_ATTACH_PID) drive a server started by hand instead, e.g. under valgrind --tool=callgrind;
// BENCH_SERVER_ARGS adds flags to the spawned server (e.g. "--push-pipeline-min 0": one thread).
// Last, the paced pulls run again while the device pushes (mixed load).
// A plain-socket HTTP/1.1 client keeps the bench free of extra dependencies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

struct Conn {
  int fd = -1;
  ~Conn() { close_(); }
  void close_() { if (fd >= 0) ::close(fd); fd = -1; }
  bool open(int port) {
    close_();
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) { close_(); return false; }
    return true;
  }
  // Returns {status, body}; status 0 on a transport error.
  std::pair<int, std::string> request(const std::string& method, const std::string& path, const std::string& token,
                                      const std::string& body = "", bool keep_alive = true) {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty() || method == "POST") req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    req += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    req += body;
    for (std::size_t sent = 0; sent < req.size();) {
      ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return {0, {}};
      sent += static_cast<std::size_t>(n);
    }
    std::string buf;
    char tmp[65536];
    std::size_t header_end = std::string::npos;
    while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
      if (n <= 0) return {0, {}};
      buf.append(tmp, static_cast<std::size_t>(n));
    }
    const int status = std::atoi(buf.c_str() + 9);
    std::string headers = buf.substr(0, header_end);
    for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t len = 0;
    auto cl = headers.find("content-length:");
    if (cl != std::string::npos) len = std::strtoull(headers.c_str() + cl + 15, nullptr, 10);
    std::string out = buf.substr(header_end + 4);
    while (out.size() < len) {
      ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
      if (n <= 0) return {0, {}};
      out.append(tmp, static_cast<std::size_t>(n));
    }
    return {status, out};
  }
};

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// The server's CPU time (user + system, ms) from /proc: on a shared 2-core machine the wall clock
// mostly measures other people's compilers, so the bench also reports throughput per CPU-second.
double cpu_ms(pid_t pid) {
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return 0;
  char buf[4096];
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')');
  if (!p) return 0;
  unsigned long long utime = 0, stime = 0;
  int field = 2;
  for (const char* q = p + 1; *q && field < 15; ++q) {
    if (*q == ' ') {
      ++field;
      if (field == 14) utime = std::strtoull(q + 1, nullptr, 10);
      if (field == 15) stime = std::strtoull(q + 1, nullptr, 10);
    }
  }
  return static_cast<double>(utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::string login(int port, const std::string& user) {
  Conn c;
  if (!c.open(port)) return {};
  auto [st, body] = c.request("POST", "/api/v1/auth/login", "", json{{"username", user}, {"password", "demo1234"}}.dump(), false);
  if (st != 200) return {};
  return json::parse(body)["token"];
}

// A valid new customer: the code carries this device's number (R5, core/ids.h: the server refuses any
// other), and the phone is unique (the server refuses company-wide duplicates).
json customer(const std::string& id, const std::string& code_prefix, int n) {
  char phone[16], seq[16];
  std::snprintf(phone, sizeof phone, "1380000%04d", n);
  std::snprintf(seq, sizeof seq, "%05d", n + 1);  // core/ids.h: the sequence has at least 5 digits
  return {{"id", id}, {"code", code_prefix + seq}, {"name", "杭州某医疗器械有限公司" + id},
          {"decision_maker", "王伟"}, {"decision_maker_title", "主任"}, {"phone", phone}, {"main_business", "骨科耗材"},
          {"tags", {{"customer_type", "三甲医院"}, {"region", "杭州"}, {"first_channel", "展会"}}}};
}

std::string percentiles_text(const std::vector<double>& v) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(v, 0.5), percentile(v, 0.95),
                percentile(v, 0.99), percentile(v, 1.0));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string server = argc > 1 && argv[1][0] ? argv[1] : (fs::canonical("/proc/self/exe").parent_path() / "../src/server/closeloop-server").string();
  const int push_batches = argc > 2 ? std::atoi(argv[2]) : 20;
  const int pull_clients = argc > 3 ? std::atoi(argv[3]) : 200;
  const int pulls_per_client = argc > 4 ? std::atoi(argv[4]) : 10;
  const double pace_ms = argc > 5 ? std::atof(argv[5]) : 100.0;  // paced run: one pull per connection per pace_ms (0 = skip)
  const int paced_pulls = argc > 6 ? std::atoi(argv[6]) : 20;
  // The server's own default worker count (what scripts/run serves with) unless the caller overrides it.
  const char* threads_env = std::getenv("BENCH_SERVER_THREADS");
  const std::string threads = threads_env && *threads_env ? threads_env : "";
  // Profiling: BENCH_ATTACH_PORT (+ BENCH_ATTACH_PID for the CPU figures) drives a server started by hand,
  // e.g. under valgrind --tool=callgrind, instead of spawning one.
  const char* attach_env = std::getenv("BENCH_ATTACH_PORT");
  const bool attach = attach_env && *attach_env;

  char tmpl[] = "/tmp/closeloop-sync-bench-XXXXXX";
  const std::string data = ::mkdtemp(tmpl);
  const int port = attach ? std::atoi(attach_env) : free_port();
  pid_t pid = 0;
  const std::string log = data + "/server.log";
  if (attach) {
    if (const char* p = std::getenv("BENCH_ATTACH_PID")) pid = static_cast<pid_t>(std::atoi(p));
  } else {
    std::vector<std::string> args = {server, "serve", "--port", std::to_string(port), "--data", data, "--fast-hash"};
    if (!threads.empty()) args.insert(args.end(), {"--threads", threads});
    // BENCH_SERVER_ARGS: more flags for the server, split at spaces (e.g. "--push-pipeline-min 0").
    if (const char* extra = std::getenv("BENCH_SERVER_ARGS")) {
      std::string word;
      for (const char* c = extra;; ++c) {
        if (*c == ' ' || *c == '\0') {
          if (!word.empty()) args.push_back(word);
          word.clear();
          if (!*c) break;
        } else {
          word.push_back(*c);
        }
      }
    }
    std::vector<char*> argvv;
    for (auto& a : args) argvv.push_back(a.data());
    argvv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (posix_spawn(&pid, server.c_str(), &fa, nullptr, argvv.data(), environ) != 0) {
      std::fprintf(stderr, "cannot start %s\n", server.c_str());
      return 2;
    }
  }
  bool up = false;
  for (int i = 0; i < 1200 && !up; ++i) {
    Conn c;
    if (c.open(port) && c.request("GET", "/api/v1/health", "", "", false).first == 200) up = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int rc = 0;
  if (!up) {
    std::fprintf(stderr, "server did not come up (log: %s)\n", log.c_str());
    rc = 2;
  } else {
    double load[3] = {0, 0, 0};
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
      if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = 0;
      std::fclose(f);
    }
    std::printf("server_sync_bench: server %s on 127.0.0.1:%d, worker threads: %s, %u cores, load average %.2f\n",
                attach ? "(attached)" : server.c_str(), port, threads.empty() ? "server default" : threads.c_str(),
                std::thread::hardware_concurrency(), load[0]);
    // ---- 1. push throughput -------------------------------------------------------------------
    const std::string token = login(port, "rep1");
    Conn c;
    c.open(port);
    std::int64_t mid = 1;
    const std::string client = "bench-dev-1";
    std::string code_prefix;
    {
      auto [st, body] = c.request("POST", "/api/v1/sync/register", token, json{{"client_id", client}}.dump());
      if (st == 200) code_prefix = json::parse(body).value("customer_code_prefix", std::string());
      if (code_prefix.empty()) { std::fprintf(stderr, "device registration failed: %d %s\n", st, body.substr(0, 200).c_str()); rc = 1; }
    }
    // Setup: 50 customers the batches then log calls against and edit.
    json setup = json::array();
    for (int i = 0; i < 50 && rc == 0; ++i)
      setup.push_back({{"mid", mid++}, {"name", "customer.create"},
                       {"args", {{"customer", customer("bc" + std::to_string(i), code_prefix, i)}}}});
    if (rc == 0) {
      auto [st, body] = c.request("POST", "/api/v1/sync/push", token,
                                  json{{"client_id", client}, {"schema_version", 1}, {"mutations", setup}}.dump());
      int ok = 0;
      if (st == 200) {
        const json j = json::parse(body);
        for (const auto& r : j["results"]) ok += r["status"] == "applied";
      }
      if (ok != 50) { std::fprintf(stderr, "setup push: %d of 50 applied (%d) %s\n", ok, st, body.substr(0, 400).c_str()); rc = 1; }
    }
    // Pushes `batches` batches of 500 (80 % activity.log, 20 % customer.update) from the one device;
    // batch numbers go on from `first` so every activity id is new.
    struct PushRun { std::vector<double> rates, batch_ms; std::int64_t applied = 0; std::string last_body; };
    auto run_pushes = [&](int first, int batches) {
      PushRun out;
      for (int b = first; b < first + batches && rc == 0; ++b) {
        json ms = json::array();
        for (int i = 0; i < 500; ++i) {
          const std::string cid = "bc" + std::to_string((b * 500 + i) % 50);
          if (i % 5 == 4)
            ms.push_back({{"mid", mid++}, {"name", "customer.update"}, {"args", {{"id", cid}, {"set", {{"address", "西湖区 " + std::to_string(b * 500 + i)}}}}}, {"base_version", 1}});
          else
            ms.push_back({{"mid", mid++}, {"name", "activity.log"},
                          {"args", {{"activity", {{"id", "ba" + std::to_string(b) + "-" + std::to_string(i)}, {"kind", "call"}, {"customer_id", cid}, {"summary", "电话跟进：确认需求与预算"}}}}}});
        }
        const std::string body = json{{"client_id", client}, {"schema_version", 1}, {"mutations", ms}}.dump();
        auto t0 = Clock::now();
        auto [st, resp] = c.request("POST", "/api/v1/sync/push", token, body);
        const double ms_taken = ms_since(t0);
        if (st != 200) { std::fprintf(stderr, "push failed: %d %s\n", st, resp.substr(0, 300).c_str()); rc = 1; break; }
        auto j = json::parse(resp);
        for (const auto& r : j["results"]) out.applied += r["status"] == "applied";
        out.batch_ms.push_back(ms_taken);
        out.rates.push_back(500.0 / (ms_taken / 1000.0));
        out.last_body = body;
      }
      return out;
    };
    const double cpu0 = cpu_ms(pid);
    PushRun pushed = run_pushes(0, push_batches);
    const double push_cpu = cpu_ms(pid) - cpu0;
    const auto& rates = pushed.rates;
    const auto& batch_ms = pushed.batch_ms;
    const std::int64_t applied = pushed.applied;
    const std::string& last_body = pushed.last_body;
    if (rc == 0 && push_batches > 0) {
      std::printf("push: %d batches x 500 mutations (80%% activity.log, 20%% customer.update), %lld of %d applied\n", push_batches,
                  static_cast<long long>(applied), push_batches * 500);
      std::printf("push: server CPU %.0f ms for %d mutations = %.0f mutations per server CPU-second\n", push_cpu,
                  push_batches * 500, push_cpu > 0 ? push_batches * 500 / (push_cpu / 1000.0) : 0.0);
      std::printf("push: median batch %.1f ms, median throughput %.0f mutations/s (p10 %.0f, p90 %.0f)  [target >= 50000]\n",
                  percentile(batch_ms, 0.5), percentile(rates, 0.5), percentile(rates, 0.1), percentile(rates, 0.9));
      // Replaying the last batch applies nothing (idempotent push: every mid <= last_mid is skipped).
      auto t0 = Clock::now();
      auto [st, resp] = c.request("POST", "/api/v1/sync/push", token, last_body);
      const double replay_ms = ms_since(t0);
      int skipped = 0;
      if (st == 200) {
        const json j = json::parse(resp);
        for (const auto& r : j["results"]) skipped += r["status"] == "skipped";
      }
      std::printf("push: replay of the last batch: %d of 500 skipped in %.1f ms\n", skipped, replay_ms);
      if (skipped != 500) rc = 1;
    }

    // ---- 2. pull latency at N concurrent connections -------------------------------------------
    // Each connection is a tablet (rep1, rep2, manager1, admin in turn) pulling its first page (limit=100
    // from cursor 0). Two runs over the same N open keep-alive connections:
    //   closed loop: every connection pulls again the moment its answer arrives (saturation: latency is
    //                then N / throughput, whatever the server does);
    //   paced:       every connection pulls once per `pace_ms`, phases spread evenly — the offered load is
    //                N / pace_ms; latency is counted from the scheduled send time, so a server that falls
    //                behind is charged for the wait (no coordinated omission).
    if (rc == 0) {
      std::vector<std::string> tokens;
      for (const char* u : {"rep1", "rep2", "manager1", "admin"}) tokens.push_back(login(port, u));
      struct PullRun { std::vector<double> lat; int errors = 0; double wall_ms = 0, cpu_ms = 0; };
      auto run_pulls = [&](int per_client, double pace_ms) {
        PullRun out;
        std::vector<std::vector<double>> lat(static_cast<std::size_t>(pull_clients));
        std::atomic<int> errors{0}, ready{0};
        std::atomic<bool> go{false};
        Clock::time_point start;
        std::vector<std::thread> ts;
        for (int t = 0; t < pull_clients; ++t) {
          ts.emplace_back([&, t] {
            Conn cc;
            const bool opened = cc.open(port);
            ++ready;
            while (!go.load()) std::this_thread::sleep_for(std::chrono::microseconds(200));
            if (!opened) { errors += per_client; return; }
            const std::string& tok = tokens[static_cast<std::size_t>(t) % tokens.size()];
            const std::string path = "/api/v1/sync/pull?client_id=bench-pull-" + std::to_string(t) + "&schema_version=1&limit=100";
            const double phase = pace_ms * t / pull_clients;
            for (int i = 0; i < per_client; ++i) {
              auto t0 = Clock::now();
              if (pace_ms > 0) {
                t0 = start + std::chrono::microseconds(static_cast<long long>((phase + pace_ms * i) * 1000));
                std::this_thread::sleep_until(t0);
              }
              auto [st, body] = cc.request("GET", path, tok);
              const double ms_taken = ms_since(t0);
              if (st != 200) {
                ++errors;
                cc.open(port);  // the server may close idle keep-alive connections; reconnect
                continue;
              }
              lat[static_cast<std::size_t>(t)].push_back(ms_taken);
            }
          });
        }
        while (ready.load() < pull_clients) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        start = Clock::now() + std::chrono::milliseconds(20);
        std::this_thread::sleep_until(start);
        const double cpu_before = cpu_ms(pid);
        go = true;
        for (auto& th : ts) th.join();
        out.wall_ms = ms_since(start);
        out.cpu_ms = cpu_ms(pid) - cpu_before;
        out.errors = errors.load();
        for (const auto& v : lat) out.lat.insert(out.lat.end(), v.begin(), v.end());
        return out;
      };
      const PullRun closed = run_pulls(pulls_per_client, 0);
      std::printf("pull closed loop: %d keep-alive connections x %d back-to-back pulls (limit=100, cursor 0): %zu ok, %d errors, %.0f pulls/s, "
                  "server CPU %.2f ms per pull\n",
                  pull_clients, pulls_per_client, closed.lat.size(), closed.errors,
                  static_cast<double>(closed.lat.size()) / (closed.wall_ms / 1000.0),
                  closed.lat.empty() ? 0.0 : closed.cpu_ms / static_cast<double>(closed.lat.size()));
      std::printf("pull closed loop: latency %s\n", percentiles_text(closed.lat).c_str());
      if (pace_ms > 0) {
        const PullRun paced = run_pulls(paced_pulls, pace_ms);
        std::printf("pull paced: %d keep-alive connections each pulling once per %.0f ms (%.0f pulls/s offered) x %d: %zu ok, %d errors, "
                    "server CPU %.2f ms per pull\n",
                    pull_clients, pace_ms, pull_clients * 1000.0 / pace_ms, paced_pulls, paced.lat.size(), paced.errors,
                    paced.lat.empty() ? 0.0 : paced.cpu_ms / static_cast<double>(paced.lat.size()));
        std::printf("pull paced: latency %s  [target p99 <= 20 ms]\n", percentiles_text(paced.lat).c_str());
      }
      // ---- 3. both at once: the paced pulls while the device pushes batches of 500 -------------------
      // A push holds the write transaction and (pipelined) both cores for a few milliseconds; this is what
      // the tablets pulling meanwhile see, and what the pulls cost the push.
      if (pace_ms > 0 && push_batches > 0 && rc == 0) {
        PullRun during;
        std::thread pulls([&] { during = run_pulls(paced_pulls, pace_ms); });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const PushRun mixed = run_pushes(push_batches + 1, push_batches);
        pulls.join();
        std::printf("mixed: %d batches x 500 pushed while %d connections pull once per %.0f ms: push median %.0f mutations/s "
                    "(p10 %.0f, p90 %.0f); pull latency %s, %d errors\n",
                    static_cast<int>(mixed.rates.size()), pull_clients, pace_ms, percentile(mixed.rates, 0.5),
                    percentile(mixed.rates, 0.1), percentile(mixed.rates, 0.9), percentiles_text(during.lat).c_str(),
                    during.errors);
      }
    }
  }
  if (!attach) {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  std::error_code ec;
  fs::remove_all(data, ec);
  return rc;
}
