// Benchmark: the deterministic demo generator at both scales (issue 3: `large` — 50k customers,
// 100k opportunities, ~500k activities — in under 5 s natively). Prints medians (wall and CPU).
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "bench_timing.h"
#include "core/demo_data.h"
#include "core/time.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 3;
  const cl::Instant now = *cl::parse_iso_instant("2026-11-27T02:00:00Z");
  for (const auto& entry : {std::pair{cl::demo::Scale::Demo, "demo"}, std::pair{cl::demo::Scale::Large, "large"}}) {
    const cl::demo::Scale scale = entry.first;  // clang 14 (emscripten) can't capture structured bindings
    const char* name = entry.second;
    size_t customers = 0, opportunities = 0, activities = 0;
    double ms = bench::median_ms(runs, [&] {
      cl::demo::Dataset d = cl::demo::generate(scale, 42, now);
      customers = d.customers.size(), opportunities = d.opportunities.size(), activities = d.activities.size();
    });
    std::printf("demo_generate_%s median_ms=%.1f cpu_ms=%.1f customers=%zu opportunities=%zu activities=%zu\n", name,
                ms, bench::last_cpu_ms, customers, opportunities, activities);
  }
  return 0;
}
