// The two-thread lane of a sync push (push_lane.h): jobs run on the serving thread in the order they
// were given, a call sees every write posted before it, and a job that throws or stops the lane skips
// the rest without leaving the helper waiting.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/push_lane.h"

using cl::server::PipelinedLane;

namespace {

// Runs `helper` on its own thread against the lane while this thread serves, as a push does.
template <class F>
void run(PipelinedLane& lane, F helper, std::atomic<bool>* wait_for = nullptr) {
  std::thread t([&] { lane.run_helper(helper); });
  if (wait_for) {
    // Let the helper queue everything first, so the serve below finds writes and a call together.
    while (!wait_for->load()) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  lane.serve();
  t.join();
}

}  // namespace

TEST_CASE("a pipelined lane runs jobs in order on the serving thread, and a call sees the writes before it") {
  PipelinedLane lane;
  std::vector<int> log;  // touched only by jobs, i.e. by the serving thread
  const auto server = std::this_thread::get_id();
  std::vector<std::size_t> seen;
  bool on_server = true;
  std::atomic<bool> queued{false};
  run(lane, [&] {
    for (int i = 0; i < 100; ++i) lane.post([&, i] { log.push_back(i); on_server &= std::this_thread::get_id() == server; });
    queued = true;
    lane.call([&] { seen.push_back(log.size()); });  // queued behind the 100 writes, served with them
    for (int i = 100; i < 1000; ++i) {
      lane.post([&, i] { log.push_back(i); });
      if (i % 97 == 0) lane.call([&] { seen.push_back(log.size()); });
    }
  }, &queued);
  REQUIRE(log.size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK(log[static_cast<std::size_t>(i)] == i);
  CHECK(on_server);
  REQUIRE(seen.size() == 10);
  CHECK(seen[0] == 100);
  for (std::size_t k = 1; k < seen.size(); ++k) CHECK(seen[k] == 97 * (k + 1) + 1);  // 194 → 195 writes, …
  CHECK_NOTHROW(lane.rethrow_error());
}

TEST_CASE("a job that throws stops the lane: later jobs are skipped, calls still return, the error comes back") {
  PipelinedLane lane;
  int ran = 0, calls_returned = 0;
  bool saw_stop = false;
  run(lane, [&] {
    lane.post([&] { ++ran; });
    lane.post([] { throw std::runtime_error("disk full"); });
    lane.post([&] { ++ran; });
    lane.call([&] { ++ran; });
    ++calls_returned;  // the helper was not left waiting
    saw_stop = lane.stopped();
  });
  CHECK(ran == 1);
  CHECK(calls_returned == 1);
  CHECK(saw_stop);
  CHECK_THROWS_WITH_AS(lane.rethrow_error(), "disk full", std::runtime_error);
}

TEST_CASE("a job that stops the lane skips the rest; a helper that throws ends the serve with its error") {
  PipelinedLane lane;
  int ran = 0;
  run(lane, [&] {
    lane.post([&] { ++ran; lane.stop(); });
    for (int i = 0; i < 10; ++i) lane.post([&] { ++ran; });
    lane.call([] {});
  });
  CHECK(ran == 1);
  CHECK(lane.stopped());
  CHECK_NOTHROW(lane.rethrow_error());  // stopping is not an error: the push runs again

  PipelinedLane failing;
  run(failing, [&] {
    failing.post([] {});
    throw std::logic_error("rules broke");
  });
  CHECK(failing.stopped());
  CHECK_THROWS_WITH_AS(failing.rethrow_error(), "rules broke", std::logic_error);
}

TEST_CASE("the helper thread runs one task at a time, always on the same thread, never on the caller's") {
  cl::server::HelperThread helper;
  std::vector<std::thread::id> ran_on;
  int finished = 0;
  for (int i = 0; i < 5; ++i) {
    helper.start([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      ran_on.push_back(std::this_thread::get_id());
      ++finished;
    });
    if (i % 2 == 0) helper.join();  // the others: the next start waits for the running task itself
  }
  helper.join();
  CHECK(finished == 5);
  REQUIRE(ran_on.size() == 5);
  for (const auto& id : ran_on) {
    CHECK(id == ran_on[0]);
    CHECK(id != std::this_thread::get_id());
  }
}
