// Timing for the benchmarks: wall-clock median plus the median process CPU time. The machines are
// shared and noisy; CPU time is what the code costs when it isn't waiting for a core.
#pragma once

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

namespace bench {

inline double last_cpu_ms = 0;  // CPU median of the latest median_ms() call

template <class F>
double median_ms(int runs, F f) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    auto a = std::chrono::steady_clock::now();
    std::clock_t ca = std::clock();
    f();
    std::clock_t cb = std::clock();
    auto b = std::chrono::steady_clock::now();
    wall.push_back(std::chrono::duration<double, std::milli>(b - a).count());
    cpu.push_back(1000.0 * static_cast<double>(cb - ca) / CLOCKS_PER_SEC);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  last_cpu_ms = cpu[cpu.size() / 2];
  return wall[wall.size() / 2];
}

}  // namespace bench
