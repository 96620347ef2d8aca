// Cold start's CPU part, natively or as wasm under node (issue 5 benchmark 1): what the browser
// does between "the replica snapshot is in wasm memory" and "the customers list can draw" — decode
// the snapshot into a LocalReplica (N customers + N activities, as bench/web_lib.js seeds), then the
// customers list's first refresh and its first screen of rows; then what the app does after that
// first frame: decode the customers and activities the load deferred (LocalReplica::defer).
// bench/web_cold_start.js measures the whole start in Chromium and prints the same two phases from
// its marks; this one isolates them so a change can be judged without the browser's noise (and run
// under callgrind for a repeatable count).
//   bench_app_cold_start_bench [n=50000] [runs=5]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "app/vm/customer_list_vm.h"
#include "app/vm/page_compaction.h"
#include "app/vm/replica_snapshot.h"
#include "vm_search_corpus.h"

using namespace cl;
using namespace cl::app;

namespace {

double now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Activity i: logged by rep1 on customer i, like the web benchmark's seeded visits.
Activity corpus_activity(int i) {
  Activity a;
  a.meta.id = "bw-a-" + test::pad(static_cast<std::uint64_t>(i), 6);
  a.meta.owner_id = "rep1";
  a.meta.version = 1;
  a.meta.created_at = a.meta.updated_at = 1'700'000'000'000 + i;
  a.kind = ActivityKind::Visit;
  a.at = a.meta.created_at;
  a.customer_id = "bw-c-" + test::pad(static_cast<std::uint64_t>(i), 6);
  a.summary = "拜访科室主任，介绍新型号耗材，约下周演示 #" + std::to_string(i);
  a.outcome = "有兴趣";
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 50000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  LocalReplica source = test::corpus_replica(n);
  for (int i = 0; i < n; ++i) source.upsert(corpus_activity(i));
  StoredPageInfo page;
  page.key = 1;
  for (const auto& [id, c] : source.customers()) page.changes.push_back({record_hash("customer", id), false});
  for (const auto& [id, a] : source.activities()) page.changes.push_back({record_hash("activity", id), false});
  const std::string bytes = encode_snapshot(source, {page}, SnapshotInfo{1, 0});
  if (const char* out = std::getenv("CLOSELOOP_SNAPSHOT_OUT")) {   // the bytes, for looking at them
    if (FILE* f = std::fopen(out, "wb")) {
      std::fwrite(bytes.data(), 1, bytes.size(), f);
      std::fclose(f);
    }
  }
  std::printf("snapshot: %d customers + %d activities, %.1f MB\n", n, n, static_cast<double>(bytes.size()) / 1e6);

  std::vector<double> decode, first_list, deferred;
  for (int r = 0; r < runs; ++r) {
    LocalReplica replica;
    double t = now_ms();
    auto decoded = decode_snapshot(bytes, replica);
    decode.push_back(now_ms() - t);
    if (!decoded || replica.customer_count_estimate() != static_cast<std::size_t>(n)) {
      std::fprintf(stderr, "snapshot did not load\n");
      return 1;
    }
    // The first frame: the list's refresh and the rows a tablet's screen shows.
    CustomerListVM vm;
    t = now_ms();
    vm.refresh(replica, CustomerFilter{});
    std::size_t named = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(vm.count(), 30); ++i) named += !vm.row(replica, i).name.empty();
    first_list.push_back(now_ms() - t);
    if (vm.count() != static_cast<std::size_t>(n) || named != std::min<std::size_t>(n, 30)) {
      std::fprintf(stderr, "list shows %zu of %d customers, %zu rows named\n", vm.count(), n, named);
      return 1;
    }
    // What the load deferred, decoded as the browser does after its first frame.
    t = now_ms();
    replica.decode_deferred(replica.deferred_customers() + replica.deferred_activities());
    deferred.push_back(now_ms() - t);
    if (replica.customers().size() != static_cast<std::size_t>(n) ||
        replica.activities().size() != static_cast<std::size_t>(n)) {
      std::fprintf(stderr, "replica holds %zu customers, %zu activities of %d\n", replica.customers().size(),
                   replica.activities().size(), n);
      return 1;
    }
  }
  // The first run touches fresh memory, as a page's only start does; later runs reuse freed memory.
  std::printf("decode snapshot into the replica: median %.1f ms (runs=%d), first run %.1f ms\n", median(decode), runs,
              decode[0]);
  std::printf("customers list, first refresh:   median %.1f ms, first run %.1f ms\n", median(first_list), first_list[0]);
  std::printf("deferred customers + activities, decoded after the first frame: median %.1f ms, first run %.1f ms\n", median(deferred),
              deferred[0]);
  return 0;
}
