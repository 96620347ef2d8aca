// Customer search over a 50k-customer replica, natively (issue 5 benchmark 3's view-model part): the
// keystrokes bench/web_search.js types, replayed through CustomerListVM::refresh, each timed. The
// browser figure adds drawing and wasm's slowdown; this one says what the search itself costs and
// which keystrokes are the tail (build it in the wasm tree too and run it with node for wasm's
// figure). Also: the background preparation after a start, and a keystroke right after a record
// changed in the replica (a sync between keystrokes).
//   bench_app_customer_search_bench [n=50000] [runs=5]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "app/vm/customer_list_vm.h"
#include "vm_search_corpus.h"

using namespace cl;
using namespace cl::app;

namespace {

// The queries the web benchmark's script produces, in order (IME preedits leave the query as it is).
std::vector<std::string> script() {
  std::vector<std::string> q;
  auto type = [&](const std::string& base, const std::vector<std::string>& chars) {
    std::string s = base;
    for (const auto& c : chars) q.push_back(s += c);
    return s;
  };
  auto back = [&](std::string s, int n) {
    for (int i = 0; i < n; ++i) {
      std::size_t k = s.size() - 1;
      while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
      q.push_back(s = s.substr(0, k));
    }
    return s;
  };
  std::string s = type("", {"杭", "州", "康", "泰"});
  s = back(s, 4);
  type(s, {"第", "一", "人", "民", "医", "院"});
  q.push_back("");
  s = type("", {"1", "3", "8", "0", "5", "7"});
  s = back(s, 2);
  type(s, {"2"});
  q.push_back("");
  type("", {"b", "w", "-", "0", "0", "1", "2"});
  q.push_back("");
  type("", {"王", "伟"});
  q.push_back("");
  return q;
}

// CPU time of this thread (the machines are shared: wall-clock time counts other people's work);
// Emscripten has no thread CPU clock, so under node it is the monotonic clock.
double cpu_ms() {
  timespec ts{};
#ifdef __EMSCRIPTEN__
  clock_gettime(CLOCK_MONOTONIC, &ts);
#else
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
#endif
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 50000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  LocalReplica replica = test::corpus_replica(n);
  CustomerListVM vm;
  CustomerFilter f;
  double t = cpu_ms();
  vm.refresh(replica, f);
  std::printf("first refresh (list only, %d customers): %.2f ms\n", n, cpu_ms() - t);
  // Idle frames after a start warm the keys (and whatever else the VM prepares in the background).
  t = cpu_ms();
  int idle = 0;
  while (!vm.keys_ready() && idle < 10000) { vm.refresh(replica, f); ++idle; }
  for (int i = 0; i < 200; ++i) vm.refresh(replica, f);  // any further background preparation
  std::printf("background preparation: %.2f ms over %d idle refreshes\n", cpu_ms() - t, idle + 200);

  const auto queries = script();
  std::vector<double> all, worst(queries.size(), 0);
  for (int r = 0; r < runs; ++r) {
    for (std::size_t k = 0; k < queries.size(); ++k) {
      f.query = queries[k];
      t = cpu_ms();
      vm.refresh(replica, f);
      const double ms = cpu_ms() - t;
      all.push_back(ms);
      worst[k] = std::max(worst[k], ms);
    }
  }
  std::printf("keystrokes: %zu x %d runs: median %.3f ms, p95 %.3f ms, max %.3f ms\n", queries.size(), runs,
              quantile(all, 0.5), quantile(all, 0.95), quantile(all, 1.0));
  std::vector<std::size_t> order(queries.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return worst[a] > worst[b]; });
  std::printf("slowest (query: worst ms):");
  for (std::size_t k = 0; k < 8 && k < order.size(); ++k)
    std::printf("  \"%s\": %.3f", queries[order[k]].c_str(), worst[order[k]]);
  std::printf("\n");

  // A record changes between two keystrokes (a sync landed): the next keystroke's cost.
  std::vector<double> after_change;
  test::CorpusRng rng{7};
  for (int r = 0; r < runs; ++r) {
    f.query = "杭州";
    vm.refresh(replica, f);
    Customer c = *replica.customer(replica.customers().begin()->first);
    c.meta.updated_at += 1'000'000 + r;
    c.name += "新";
    replica.upsert(c);
    f.query = "杭州康";
    t = cpu_ms();
    vm.refresh(replica, f);
    after_change.push_back(cpu_ms() - t);
    for (int i = 0; i < 200; ++i) vm.refresh(replica, f);  // background work between keystrokes
  }
  std::printf("keystroke right after a record changed: median %.3f ms, max %.3f ms\n", quantile(after_change, 0.5),
              quantile(after_change, 1.0));
  return 0;
}
